import { Suspense } from "react";
import { OverviewView } from "@/components/overview/OverviewView";
import { OVERVIEW_PANELS } from "@/lib/registry/panels";

// Only the panels' names travel to the browser; their PromQL is built on the server.
const PANELS = OVERVIEW_PANELS.map(({ id, title, description }) => ({ id, title, description }));

export default function OverviewPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading the overview…</div>}>
      <OverviewView panels={PANELS} />
    </Suspense>
  );
}
