"use client";
// LIST hygiene per client, worst first by the objects its LISTs read from etcd; each finding says what to do instead.
import { Clipped } from "@/components/view/Clipped";
import type { ClientHygiene } from "@/lib/load/hygiene";
import { formatValue } from "@/lib/format";

const share = (n: number, of: number) => (of === 0 ? "–" : formatValue(n / of, "ratio"));

export function HygieneScorecard({ clients, weighted, onPickClient }: { clients: ClientHygiene[]; weighted: boolean; onPickClient: (client: string) => void }) {
  return (
    <div className="overflow-x-auto p-2">
      <table className="w-full text-sm" data-testid="hygiene-table">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-medium">Client</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">LISTs</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">No rv=0</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">No limit</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">Cluster-wide</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">WATCHes</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">{weighted ? "Objects read from etcd" : "LISTs from etcd"}</th>
            <th scope="col" className="px-2 py-1 text-left font-medium">Findings</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.client} className="border-t border-slate-100 align-top dark:border-slate-800" data-client={c.client}>
              <td className="max-w-xs px-2 py-1">
                <button type="button" onClick={() => onPickClient(c.client)} className="text-left hover:text-sky-600 hover:underline" title="Filter by client">
                  <Clipped text={c.client} max={40} />
                </button>
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{c.lists.toLocaleString("en-US")}</td>
              <td className="px-2 py-1 text-right tabular-nums" data-testid="no-rv0">{share(c.withoutRv0, c.lists)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{share(c.withoutLimit, c.lists)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{share(c.clusterScoped, c.lists)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{c.watches.toLocaleString("en-US")}</td>
              <td className="px-2 py-1 text-right tabular-nums">{formatValue(c.objectsFromEtcd, "count")}</td>
              <td className="px-2 py-1">
                {c.findings.length === 0 ? (
                  <span className="text-slate-500">none</span>
                ) : (
                  <ul className="space-y-1">
                    {c.findings.map((f) => (
                      <li key={f.kind} data-finding={f.kind} className="max-w-3xl">
                        <span className="font-medium">{f.text}.</span> <span className="text-slate-600 dark:text-slate-300">{f.advice}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
