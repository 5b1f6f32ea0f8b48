import { z } from "zod";
import { getConfig } from "@/lib/config";
import { badRequest, ok } from "@/lib/http";
import { PrometheusError } from "@/lib/prometheus/errors";
import { getGateway } from "@/lib/prometheus/server";
import { zodMessage } from "@/lib/routes/json-body";

export const dynamic = "force-dynamic";

/** The families alert templates read; asking for these only keeps the answer small on a busy Prometheus. */
const TEMPLATE_NAMES = "(apiserver|etcd|coredns|apiscope)_.+|up|process_resident_memory_bytes";
const HOUR = 3600;

const query = z
  .object({ start: z.coerce.number().finite().min(0).max(1e10), end: z.coerce.number().finite().min(0).max(1e10) })
  .refine((q) => q.end > q.start && q.end - q.start <= 31 * 86400, "start must be before end, at most 31 days apart");

/**
 * GET /api/alerts/context?start=&end= — what the alert workbench builds rules for: the configured API-server
 * selector, the scrape interval, and which metric names this Prometheus had around the window (null, with the
 * reason, when it cannot be asked: templates then use the newest names and report nothing missing).
 */
export async function GET(request: Request): Promise<Response> {
  const search = new URL(request.url).searchParams;
  const parsed = query.safeParse({ start: search.get("start"), end: search.get("end") });
  if (!parsed.success) return badRequest(zodMessage(parsed.error, "params"));
  const config = getConfig();
  // Whole hours, so nearby windows share one cached discovery.
  const start = Math.floor(parsed.data.start / HOUR) * HOUR;
  const end = Math.ceil(parsed.data.end / HOUR) * HOUR;
  const base = { apiserverSelector: config.apiserverSelector, scrapeIntervalSeconds: config.scrapeIntervalSeconds };
  try {
    const names = await getGateway().labelValues("__name__", [`{__name__=~"${TEMPLATE_NAMES}"}`], start, end);
    return ok({ ...base, names, namesError: null });
  } catch (err) {
    return ok({ ...base, names: null, namesError: err instanceof PrometheusError ? err.message : "Prometheus could not be asked" });
  }
}
