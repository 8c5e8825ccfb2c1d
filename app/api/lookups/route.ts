import { after } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { appClock } from "@/lib/clock";
import { lookupConfig, startLookup } from "@/lib/platforms/lookup";
import { streamLookup } from "@/lib/platforms/lookup-stream";
import { forRoute, owner } from "@/lib/auth/guards";
import { jsonError } from "@/lib/http/json";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Starts a look-up for the signed-in owner and streams each platform's answer as NDJSON
 * (lib/platforms/lookup-stream.ts). Refused without consent (409), without a known tenure start
 * (409) or within a minute of the last look-up (429 with Retry-After).
 */
export const POST = route("lookups", async (request): Promise<Response> => {
  const requestStartedMs = performance.now();
  const guard = await forRoute(owner, request, { changesState: true });
  if (guard.response) return guard.response;
  const { handle } = await prepareDatabase();
  const clock = appClock();
  const config = lookupConfig();
  const started = await startLookup(handle.db, { ownerId: guard.principal.id, number: guard.principal.number, now: clock.now(), config });
  if (!started.ok) {
    if (started.error === "too_soon") {
      return jsonError(429, "too_soon", { retryAfterSeconds: started.retryAfterSeconds }, { "retry-after": String(started.retryAfterSeconds) });
    }
    return jsonError(409, started.error);
  }
  const { stream, done } = streamLookup(handle.db, started, { config, clock, requestStartedMs });
  // Keeps a serverless function alive until every platform has answered or timed out.
  after(() => done);
  return new Response(stream, {
    status: 201,
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // no-transform: a compressing layer must not hold answers back to fill a buffer.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
