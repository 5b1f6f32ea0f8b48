import { Suspense } from "react";
import { WebhooksView } from "@/components/webhooks/WebhooksView";
import { ADMISSION_PANELS, WEBHOOK_PANELS } from "@/lib/webhooks/panels";

// Only the panels' names travel to the browser; their PromQL is built on the server.
const meta = (panels: typeof WEBHOOK_PANELS) => panels.map(({ id, title, description }) => ({ id, title, description }));

export default function WebhooksPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <WebhooksView detailPanels={meta(WEBHOOK_PANELS)} admissionPanels={meta(ADMISSION_PANELS)} />
    </Suspense>
  );
}
