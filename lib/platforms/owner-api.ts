import "server-only";
import { auth } from "@/auth";
import { isCrossOrigin } from "@/lib/security/csp";

/** JSON error bodies of the owner API: a code the page translates, never free text. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  return Response.json({ error, ...extra }, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * The signed-in owner for an owner API route, or the response to send instead. State-changing
 * requests must come from our own pages (Origin check), like server actions.
 */
export async function ownerForApi(request: Request, { changesState }: { changesState: boolean }) {
  if (changesState && isCrossOrigin(request.headers, new URL(request.url).host, [process.env.AUTH_URL].filter((v): v is string => Boolean(v)))) {
    return { response: jsonError(403, "cross_origin") } as const;
  }
  const user = (await auth())?.user;
  if (!user || user.role !== "owner" || !user.number) return { response: jsonError(401, "signed_out") } as const;
  return { owner: { id: user.id, number: user.number } } as const;
}
