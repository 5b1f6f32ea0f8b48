import { Suspense } from "react";
import { ApfView } from "@/components/apf/ApfView";

export default function ApfPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <ApfView />
    </Suspense>
  );
}
