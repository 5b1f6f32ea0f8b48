import { apfStatus } from "@/lib/apf/status";
import { summaryRoute } from "@/lib/routes/summary-route";

export const dynamic = "force-dynamic";

/** GET /api/apf/status?from=now-1h&to=now&cluster=&instance= — every APF priority level's seats, queues and rejections. */
export const GET = summaryRoute(apfStatus);
