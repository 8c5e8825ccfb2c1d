import { unstable_rethrow } from "next/navigation";
import { AppError, DatabaseError, isDatabaseError, logServerError, toDatabaseError } from "@/lib/errors";
import { readCappedBody } from "./body";

/** The default cap for a JSON body of any route handler; callers may lower it. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface RouteContext<P> {
  /** The body, read with the cap before the handler ran (empty for GET and HEAD). */
  body: string;
  params: P;
}

const json = (status: number, body: Record<string, unknown>, headers: HeadersInit = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * The one wrapper every route handler goes through: the body is read as a stream with a hard cap
 * (413 before any parsing or signature work), and an unexpected error becomes a JSON answer with a
 * request id — a thrown AppError answers `{ error: code, ...details }` with its status; 503 with Retry-After while the database is away, 500 otherwise — logged by
 * `logServerError`, which never prints a query's parameters.
 */
export function route<P = Record<string, string>>(
  scope: string,
  handle: (request: Request, context: RouteContext<P>) => Promise<Response>,
  { maxBodyBytes = DEFAULT_MAX_BODY_BYTES }: { maxBodyBytes?: number } = {},
) {
  return async function handler(request: Request, segment?: { params?: Promise<P> }): Promise<Response> {
    let body = "";
    if (request.method !== "GET" && request.method !== "HEAD") {
      const read = await readCappedBody(request, maxBodyBytes);
      if (!read.ok) return json(read.status, { error: read.error });
      body = read.text;
    }
    try {
      const params = ((await segment?.params) ?? {}) as P;
      return await handle(request, { body, params });
    } catch (error) {
      // Next's redirect/notFound signals are not errors of ours.
      unstable_rethrow(error);
      // An expected refusal: its stable code (the page translates it) and details, with its status.
      if (error instanceof AppError) return json(error.status, { error: error.code, ...error.details });
      const requestId = logServerError(scope, error);
      if (isDatabaseError(error) && (toDatabaseError(error) as DatabaseError).unavailable) {
        return json(503, { error: "unavailable", requestId }, { "retry-after": "5" });
      }
      return json(500, { error: "internal", requestId });
    }
  };
}
