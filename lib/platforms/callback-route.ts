import { prepareDatabase } from "@/db/startup";
import type { Db } from "@/db";
import { appClock } from "@/lib/clock";
import { route } from "@/lib/http/route";
import { MAX_CALLBACK_BYTES, type CallbackInput, type CallbackResponse } from "./callback";

/**
 * A platform → Reclaim callback route (`POST /api/partner/v1/…`): the raw body read with the 20 kB
 * cap (signatures are over it), the app clock for the rows, and the handler's status and JSON body,
 * never cached.
 */
export function callbackRoute(scope: string, handle: (db: Db, input: CallbackInput) => Promise<CallbackResponse>) {
  return route(
    scope,
    async (request, { body }) => {
      const { handle: database } = await prepareDatabase();
      const result = await handle(database.db, { headers: request.headers, body, now: appClock().now() });
      return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
    },
    { maxBodyBytes: MAX_CALLBACK_BYTES },
  );
}
