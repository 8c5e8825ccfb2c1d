/** JSON error bodies of our route handlers: a stable code the page translates, never free text. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  return Response.json({ error, ...extra }, { status, headers: { "cache-control": "no-store", ...headers } });
}
