import { Suspense } from "react";
import { LoadView } from "@/components/load/LoadView";

export default function LoadPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <LoadView />
    </Suspense>
  );
}
