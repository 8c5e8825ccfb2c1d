import { createHash } from "node:crypto";
import type { Db, DbOrTx } from "@/db";
import { consumeAll } from "@/lib/rate-limit";
import { authenticateClient } from "./clients";
import { issueAccessToken, type TokenOptions } from "./token";

/**
 * `POST /api/oauth/token`, the client-credentials grant (RFC 6749 §4.4): client id and secret in
 * the form body or as HTTP Basic (§2.3.1; one method per request), errors as §5.2 says. Nothing
 * about the client is logged.
 */
export const MAX_TOKEN_REQUEST_BYTES = 4 * 1024;

type OAuthError = "invalid_request" | "invalid_client" | "unsupported_grant_type" | "invalid_scope" | "unauthorized_client";

// RFC 6749 §5.1: token answers are never cached.
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function oauthError(error: OAuthError, description: string, basic = false): Response {
  const status = error === "invalid_client" ? 401 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  if (status === 401) headers["www-authenticate"] = basic ? 'Basic realm="reclaim", error="invalid_client"' : 'Basic realm="reclaim"';
  return Response.json({ error, error_description: description }, { status, headers });
}

/** `Authorization: Basic` credentials, form-url-decoded as §2.3.1 asks; null when absent, "bad" when malformed. */
function basicCredentials(header: string | null): { id: string; secret: string } | null | "bad" {
  if (!header) return null;
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match) return "bad";
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "bad";
  try {
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return "bad";
  }
}

/**
 * Token requests per client id and minute. A client needs one token per five minutes (the
 * lifetime); the limit stops a flood of guesses or issuances for one id before any secret is
 * compared (RFC 6749 §10.10 asks the token endpoint to resist guessing). The key is a digest of
 * the id, not the id as sent, so nothing a caller typed is stored.
 */
export const TOKEN_REQUESTS_PER_MINUTE = 60;

function tooManyRequests(retryAfterMs: number): Response {
  return Response.json(
    { error: "temporarily_unavailable", error_description: "Too many token requests for this client. Try again later." },
    { status: 429, headers: { ...NO_STORE, "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } },
  );
}

export async function handleTokenRequest(db: DbOrTx, input: { headers: Headers; body: string; options: TokenOptions }): Promise<Response> {
  const type = input.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return oauthError("invalid_request", "Send the request as application/x-www-form-urlencoded.");
  const form = new URLSearchParams(input.body);
  // §3.2: parameters sent without a value are as if omitted; none may be repeated.
  for (const name of new Set(form.keys())) if (form.getAll(name).length > 1) return oauthError("invalid_request", `The parameter ${name} is repeated.`);
  const param = (name: string) => form.get(name) || null;

  const basic = basicCredentials(input.headers.get("authorization"));
  if (basic === "bad") return oauthError("invalid_client", "The Authorization header is not valid HTTP Basic.", true);
  if (basic && (param("client_id") !== null && param("client_id") !== basic.id)) return oauthError("invalid_request", "client_id in the body does not match the Authorization header.");
  if (basic && param("client_secret") !== null) return oauthError("invalid_request", "Use one way to authenticate the client: HTTP Basic or the form body.");
  const id = basic?.id ?? param("client_id");
  const secret = basic?.secret ?? param("client_secret");

  const grant = param("grant_type");
  if (!grant) return oauthError("invalid_request", "grant_type is required.");
  if (!id || !secret) return oauthError("invalid_client", "Client authentication is required.", Boolean(basic));
  const key = `oauth:token:${createHash("sha256").update(id).digest("base64url").slice(0, 32)}`;
  const limit = await consumeAll(db as Db, [{ key, max: TOKEN_REQUESTS_PER_MINUTE, windowMs: 60_000 }], input.options.now);
  if (!limit.allowed) return tooManyRequests(limit.retryAfterMs);
  const client = await authenticateClient(db, id, secret);
  if (!client) return oauthError("invalid_client", "Client authentication failed.", Boolean(basic));
  if (grant !== "client_credentials") return oauthError("unsupported_grant_type", "Only client_credentials is supported.");
  if (!client.platformActive) return oauthError("unauthorized_client", "The platform of this client may not use the API now.");

  const requested = param("scope")?.split(" ").filter(Boolean);
  // §3.3: without a scope, the client's whole grant.
  const scopes = requested ?? client.scopes;
  if (scopes.length === 0 || scopes.some((s) => !client.scopes.includes(s))) return oauthError("invalid_scope", "The requested scope is not granted to this client.");
  const { token, expiresIn } = await issueAccessToken(client, [...new Set(scopes)], input.options);
  return Response.json({ access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: [...new Set(scopes)].join(" ") }, { headers: NO_STORE });
}
