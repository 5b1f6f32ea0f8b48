import { summaryRoute } from "@/lib/routes/summary-route";
import { webhookSummary } from "@/lib/webhooks/summary";

export const dynamic = "force-dynamic";

/** GET /api/webhooks?from=now-1h&to=now&cluster=&instance= — every admission webhook's calls, latency and failures. */
export const GET = summaryRoute(webhookSummary);
