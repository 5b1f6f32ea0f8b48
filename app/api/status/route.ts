import { getConfig } from "@/lib/config";
import { ok } from "@/lib/http";
import { PrometheusError } from "@/lib/prometheus/errors";
import { getGateway } from "@/lib/prometheus/server";

export const dynamic = "force-dynamic";

/**
 * GET /api/status — which Prometheus apiscope reads (URL without credentials) and whether it answers now: asked on
 * every call (never a cached answer) and within a few seconds (a stuck Prometheus reads as unreachable, not as a hang).
 */
export async function GET(): Promise<Response> {
  const config = getConfig();
  const prometheus = { url: config.prometheus.url };
  try {
    const info = await getGateway().probe();
    return ok({ prometheus: { ...prometheus, reachable: true, version: info.version ?? "unknown" } });
  } catch (err) {
    const message = err instanceof PrometheusError ? err.message : "unexpected error";
    return ok({ prometheus: { ...prometheus, reachable: false, error: message } });
  }
}
