"use client";
// Request shapes sent by the most sources: the DaemonSet pattern ("700 sources × LIST pods cluster-wide every 10s").
import { Clipped } from "@/components/view/Clipped";
import type { FanoutRow } from "@/lib/audit/answers";
import { describeShape } from "@/lib/load/fanout-text";

export function FanoutTable({ rows, onPickClient }: { rows: FanoutRow[]; onPickClient: (client: string) => void }) {
  return (
    <div className="overflow-x-auto p-2">
      <table className="w-full text-sm" data-testid="fanout-table">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-medium">Client</th>
            <th scope="col" className="px-2 py-1 text-left font-medium">Sources × request, per-source interval</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">Requests</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.client} ${r.verb} ${r.resource} ${r.scope}`} className="border-t border-slate-100 dark:border-slate-800" data-client={r.client} data-sources={r.sources}>
              <td className="max-w-xs px-2 py-1">
                <button type="button" onClick={() => onPickClient(r.client)} className="text-left hover:text-sky-600 hover:underline" title="Filter by client">
                  <Clipped text={r.client} max={40} />
                </button>
              </td>
              <td className="px-2 py-1">
                <Clipped text={describeShape(r)} max={120} />
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{r.requests.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
