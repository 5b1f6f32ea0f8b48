// Browser-side call deleting an upload (beside the audit code; lib/api-client.ts holds apiscope's other calls).
import type { DeletedUpload } from "./types";

export async function deleteAuditUpload(source: string): Promise<DeletedUpload> {
  let res: Response;
  try {
    res = await fetch(`/api/audit/upload?source=${encodeURIComponent(source)}`, { method: "DELETE", headers: { Accept: "application/json" } });
  } catch {
    throw new Error("apiscope server unreachable — is it still running?");
  }
  const body = (await res.json().catch(() => null)) as { data?: DeletedUpload; error?: string } | null;
  if (!res.ok || !body?.data) throw new Error(body?.error ?? `deleting failed (HTTP ${res.status})`);
  return body.data;
}
