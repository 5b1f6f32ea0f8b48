import { AuditSourcesView } from "@/components/audit/AuditSourcesView";

export default function AuditPage() {
  return <AuditSourcesView />;
}
