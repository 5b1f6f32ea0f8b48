// A labelled form control on one line, as the builder and alert forms lay them out.
import type { ReactNode } from "react";

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-500">{label}</span>
      {children}
    </label>
  );
}
