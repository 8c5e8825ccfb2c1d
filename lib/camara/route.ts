import type { Db } from "@/db";
import { prepareDatabase } from "@/db/startup";
import { appClock, type Clock } from "@/lib/clock";
import { DatabaseError, isDatabaseError, logServerError, toDatabaseError } from "@/lib/errors";
import { readCappedBody } from "@/lib/http/body";
import type { SigningKey } from "@/lib/platforms/keys";
import { consumeAll } from "@/lib/rate-limit";
import { CHECK_SCOPE, type LiveClient } from "./clients";
import { answerBatch, answerChecks, MAX_BATCH_ENTRIES, parseCheck } from "./check";
import { camaraError, camaraErrorResponse, camaraJson, X_CORRELATOR, type CamaraErrorInfo } from "./errors";
import { handleTokenRequest, MAX_TOKEN_REQUEST_BYTES } from "./oauth";
import { verifyBearer } from "./token";

/** What the platform API routes need; tests pass their own database, clock and keys. */
export interface PlatformApiDeps {
  db: () => Promise<Db>;
  clock: Clock;
  keys?: SigningKey[];
}

export const defaultPlatformApiDeps = (): PlatformApiDeps => ({ db: async () => (await prepareDatabase()).handle.db, clock: appClock() });

export const MAX_CHECK_BYTES = 4 * 1024;
// 1,000 entries of ~60 bytes each, with room for whitespace.
export const MAX_BATCH_BYTES = 256 * 1024;

type Handled = { status?: number; body: unknown } | CamaraErrorInfo;

const isError = (h: Handled): h is CamaraErrorInfo => "code" in h && "message" in h;

/**
 * The one wrapper of the CAMARA routes, in the order a CAMARA gateway answers: the x-correlator
 * (checked against its schema, then echoed on every answer), the bearer token (401/403), the
 * client's rate (429 + Retry-After), the body read with a hard cap and parsed as JSON (400), then
 * the operation. An unexpected error is 500 INTERNAL (503 UNAVAILABLE while the database is away),
 * logged without its parameters.
 */
function camaraRoute(scope: string, maxBodyBytes: number, deps: () => PlatformApiDeps, run: (db: Db, input: unknown, client: LiveClient, now: Date) => Promise<Handled>) {
  return async function handler(request: Request): Promise<Response> {
    const header = request.headers.get("x-correlator");
    if (header !== null && !X_CORRELATOR.test(header)) {
      return camaraErrorResponse(camaraError(400, "INVALID_ARGUMENT", "x-correlator does not match ^[a-zA-Z0-9-_:;./<>{}]{0,256}$."));
    }
    const correlator = header;
    try {
      const { db: openDb, clock, keys } = deps();
      const db = await openDb();
      const now = clock.now();
      const bearer = await verifyBearer(db, request.headers.get("authorization"), CHECK_SCOPE, { now, keys });
      if (!bearer.ok) {
        return bearer.error === "unauthenticated"
          ? camaraErrorResponse(camaraError(401, "UNAUTHENTICATED", "Request not authenticated due to missing, invalid, or expired credentials."), correlator, {
              "www-authenticate": 'Bearer error="invalid_token"',
            })
          : camaraErrorResponse(camaraError(403, "PERMISSION_DENIED", "Client does not have sufficient permissions to perform this action."), correlator);
      }
      const limit = await consumeAll(db, [{ key: `camara:${bearer.client.id}`, max: bearer.client.ratePerSecond, windowMs: 1000 }], now);
      if (!limit.allowed) {
        return camaraErrorResponse(camaraError(429, "TOO_MANY_REQUESTS", "Too many requests: slow down and retry after the time in Retry-After."), correlator, {
          "retry-after": String(Math.max(1, Math.ceil(limit.retryAfterMs / 1000))),
        });
      }
      const read = await readCappedBody(request, maxBodyBytes);
      if (!read.ok) {
        const message = read.error === "body_too_large" ? `The request body is larger than ${maxBodyBytes} bytes.` : "The request body could not be read.";
        return camaraErrorResponse(camaraError(400, "INVALID_ARGUMENT", message), correlator);
      }
      let input: unknown;
      try {
        input = JSON.parse(read.text);
      } catch {
        return camaraErrorResponse(camaraError(400, "INVALID_ARGUMENT", "The request body is not valid JSON."), correlator);
      }
      const handled = await run(db, input, bearer.client, now);
      if (isError(handled)) return camaraErrorResponse(handled, correlator);
      return camaraJson(handled.body, { status: handled.status ?? 200, correlator });
    } catch (error) {
      const requestId = logServerError(scope, error);
      if (isDatabaseError(error) && (toDatabaseError(error) as DatabaseError).unavailable) {
        return camaraErrorResponse(camaraError(503, "UNAVAILABLE", `Service unavailable (request ${requestId}).`), correlator, { "retry-after": "5" });
      }
      return camaraErrorResponse(camaraError(500, "INTERNAL", `Server error (request ${requestId}).`), correlator);
    }
  };
}

/** `POST {apiRoot}/number-recycling/v0.2/check`. */
export const checkHandler = (deps: () => PlatformApiDeps = defaultPlatformApiDeps) =>
  camaraRoute("camara-check", MAX_CHECK_BYTES, deps, async (db, input, _client, now) => {
    // Client-credentials tokens name no device: the number comes from the body.
    const parsed = parseCheck(input, { phoneNumber: null }, now);
    if (!parsed.ok) return parsed.error;
    const [answer] = await answerChecks(db, [parsed]);
    return "error" in answer! ? answer.error : { body: answer };
  });

/** `POST {apiRoot}/number-recycling/v0.2/check-batch`: our extension, `{checks: [...]}` → `{results: [...]}` in order. */
export const checkBatchHandler = (deps: () => PlatformApiDeps = defaultPlatformApiDeps) =>
  camaraRoute("camara-check-batch", MAX_BATCH_BYTES, deps, async (db, input, _client, now) => {
    const checks = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as { checks?: unknown }).checks : undefined;
    if (!Array.isArray(checks)) return camaraError(400, "INVALID_ARGUMENT", "The request body must be {\"checks\": [{phoneNumber, specifiedDate}, …]}.");
    if (checks.length === 0 || checks.length > MAX_BATCH_ENTRIES) {
      return camaraError(400, "OUT_OF_RANGE", `checks must hold between 1 and ${MAX_BATCH_ENTRIES} entries.`);
    }
    return { body: { results: await answerBatch(db, checks, now) } };
  });

/** `POST /api/oauth/token`. */
export const tokenHandler = (deps: () => PlatformApiDeps = defaultPlatformApiDeps) =>
  async function handler(request: Request): Promise<Response> {
    const read = await readCappedBody(request, MAX_TOKEN_REQUEST_BYTES);
    if (!read.ok) return Response.json({ error: "invalid_request", error_description: "The request body is too large or unreadable." }, { status: 400, headers: { "cache-control": "no-store" } });
    try {
      const { db, clock, keys } = deps();
      return await handleTokenRequest(await db(), { headers: request.headers, body: read.text, options: { now: clock.now(), keys } });
    } catch (error) {
      const requestId = logServerError("oauth-token", error);
      return Response.json({ error: "server_error", error_description: `Server error (request ${requestId}).` }, { status: 500, headers: { "cache-control": "no-store" } });
    }
  };
