import { Suspense } from "react";
import { ApfView } from "@/components/apf/ApfView";
import { APF_PANELS } from "@/lib/apf/panels";

// Only the panels' names travel to the browser; their PromQL is built on the server.
const meta = APF_PANELS.map(({ id, title, description }) => ({ id, title, description }));

export default function ApfPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <ApfView panels={meta} />
    </Suspense>
  );
}
