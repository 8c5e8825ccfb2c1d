import { randomUUID } from "node:crypto";
import { createLocalJWKSet, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { DbOrTx } from "@/db";
import { ATTESTATION_ALG, publicJwks, signingKeys, type SigningKey } from "@/lib/platforms/keys";
import { attestationIssuer } from "@/lib/platforms/attestation";
import { liveClient, type LiveClient } from "./clients";

/**
 * Access tokens of the client-credentials grant: JWTs in the RFC 9068 profile (`typ: at+jwt`),
 * signed with the service's attestation keys, so a platform can read them against the published
 * JWK Set. The `typ` and the audience keep an unbind attestation (same keys) from passing as one.
 * Each call verifies signature, issuer, audience, expiry and scope, then looks the client up again:
 * a revoked client or a rotated secret ends its tokens before they expire.
 */
export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_TTL_SECONDS = 5 * 60;
export const ACCESS_TOKEN_AUDIENCE = "reclaim:platform-api";

export interface TokenOptions {
  now: Date;
  keys?: SigningKey[];
  issuer?: string;
}

export async function issueAccessToken(client: Pick<LiveClient, "clientId" | "secretVersion">, scopes: string[], { now, keys, issuer = attestationIssuer() }: TokenOptions) {
  const key = (keys ?? (await signingKeys()))[0];
  if (!key) throw new Error("No signing key for access tokens");
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ client_id: client.clientId, scope: scopes.join(" "), ver: client.secretVersion })
    .setProtectedHeader({ alg: ATTESTATION_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(client.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * What a bearer token allows. `unauthenticated`: missing, malformed, badly signed, expired, or of a
 * client that is revoked or has rotated its secret since. `forbidden`: a valid token without the
 * scope, or of a platform that is paused or disabled.
 */
export type BearerResult = { ok: true; client: LiveClient } | { ok: false; error: "unauthenticated" | "forbidden" };

export async function verifyBearer(db: DbOrTx, authorization: string | null, scope: string, { now, keys, issuer = attestationIssuer() }: TokenOptions): Promise<BearerResult> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization?.trim() ?? "");
  if (!match) return { ok: false, error: "unauthenticated" };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1]!, createLocalJWKSet(await publicJwks(keys)), {
      issuer,
      audience: ACCESS_TOKEN_AUDIENCE,
      typ: ACCESS_TOKEN_TYPE,
      algorithms: [ATTESTATION_ALG],
      currentDate: now,
      requiredClaims: ["exp", "iat", "sub"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return { ok: false, error: "unauthenticated" };
    throw error;
  }
  const client = typeof payload.sub === "string" ? await liveClient(db, payload.sub) : null;
  if (!client || payload.ver !== client.secretVersion) return { ok: false, error: "unauthenticated" };
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (!scopes.includes(scope) || !client.scopes.includes(scope) || !client.platformActive) return { ok: false, error: "forbidden" };
  const { secretHash: _s, ...rest } = client;
  return { ok: true, client: rest };
}
