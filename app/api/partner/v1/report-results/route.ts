import { callbackRoute } from "@/lib/platforms/callback-route";
import { handleReportResult } from "@/lib/reports/callbacks";

export const dynamic = "force-dynamic";

/** Platform → Reclaim: what a platform did about a wrong-party report (docs/partner-api.md). */
export const POST = callbackRoute("report-results", handleReportResult);
