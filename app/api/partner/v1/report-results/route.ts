import { prepareDatabase } from "@/db/startup";
import { appClock } from "@/lib/clock";
import { handleReportResult } from "@/lib/reports/callbacks";

export const dynamic = "force-dynamic";

/** Platform → Reclaim: what a platform did about a wrong-party report (docs/partner-api.md). */
export async function POST(request: Request) {
  const body = await request.text();
  const { handle } = await prepareDatabase();
  const result = await handleReportResult(handle.db, { headers: request.headers, body, now: appClock().now() });
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
}
