import { Suspense } from "react";
import { ClientAlertsView } from "@/components/alerts/ClientAlertsView";

export default function AlertsPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <ClientAlertsView />
    </Suspense>
  );
}
