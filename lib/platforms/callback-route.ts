import { prepareDatabase } from "@/db/startup";
import type { Db } from "@/db";
import { appClock } from "@/lib/clock";
import type { CallbackInput, CallbackResponse } from "./callback";

/**
 * A platform → Reclaim callback route (`POST /api/partner/v1/…`): the raw body (signatures are over
 * it), the app clock for the rows, and the handler's status and JSON body, never cached.
 */
export function callbackRoute(handle: (db: Db, input: CallbackInput) => Promise<CallbackResponse>) {
  return async function POST(request: Request) {
    const body = await request.text();
    const { handle: database } = await prepareDatabase();
    const result = await handle(database.db, { headers: request.headers, body, now: appClock().now() });
    return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
  };
}
