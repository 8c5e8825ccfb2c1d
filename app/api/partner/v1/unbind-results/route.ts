import { prepareDatabase } from "@/db/startup";
import { appClock } from "@/lib/clock";
import { handleUnbindResult } from "@/lib/unbind/callbacks";

export const dynamic = "force-dynamic";

/** Platform → Reclaim: the outcome of an unbind request (docs/partner-api.md). */
export async function POST(request: Request) {
  const body = await request.text();
  const { handle } = await prepareDatabase();
  const result = await handleUnbindResult(handle.db, { headers: request.headers, body, now: appClock().now() });
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
}
