import { Suspense } from "react";
import { AlertWorkbench } from "@/components/alerts/AlertWorkbench";

export default function AlertsPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <AlertWorkbench />
    </Suspense>
  );
}
