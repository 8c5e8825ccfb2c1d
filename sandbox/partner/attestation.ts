import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { PartnerContext } from "./context";
import { ATTESTATION_MAX_LIFETIME_SECONDS, ATTESTATION_TYPE, CLOCK_TOLERANCE_SECONDS, reclaimBase, type UnbindRequest } from "./protocol";
import type { PartnerServerOptions } from "./types";

/** jose errors that mean "this token is not good" (as opposed to "Reclaim's JWKS could not be fetched"). */
const BAD_TOKEN_CODES = new Set([
  joseErrors.JWTClaimValidationFailed.code,
  joseErrors.JWTExpired.code,
  joseErrors.JOSEAlgNotAllowed.code,
  joseErrors.JOSENotSupported.code,
  joseErrors.JWSInvalid.code,
  joseErrors.JWTInvalid.code,
  joseErrors.JWKSNoMatchingKey.code,
  joseErrors.JWKSMultipleMatchingKeys.code,
  joseErrors.JWSSignatureVerificationFailed.code,
]);

/** Reclaim's keys: the set given, a JWKS URL, else `/.well-known/jwks.json` beside the callback URL. */
export function resolveJwks(option: PartnerServerOptions["jwks"], callbackUrl: string | undefined): JWTVerifyGetKey | undefined {
  if (option !== undefined && typeof option !== "string") return createLocalJWKSet(option);
  const url = option || (callbackUrl ? `${reclaimBase(callbackUrl)}/.well-known/jwks.json` : undefined);
  return url ? createRemoteJWKSet(new URL(url)) : undefined;
}

/**
 * Verifies an unbind attestation as docs/partner-api.md §6 asks: ES256 only, our type, audience =
 * this slug, issuer when configured, lifetime ≤ 15 min, `sub` and `tenure_start` equal to the
 * request's, and a `jti` never seen with another requestId. "unavailable" when Reclaim's keys
 * cannot be fetched (that is not the token's fault).
 */
export async function checkAttestation(ctx: PartnerContext, slug: string, request: UnbindRequest, keys: JWTVerifyGetKey): Promise<"ok" | "bad" | "unavailable"> {
  const currentDate = ctx.now();
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(request.attestation, keys, {
      algorithms: ["ES256"],
      audience: slug,
      issuer: ctx.issuer,
      typ: ATTESTATION_TYPE,
      maxTokenAge: ATTESTATION_MAX_LIFETIME_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate,
      requiredClaims: ["sub", "jti", "iat", "exp", "tenure_start", "tenure_source", "otp_verified_at", "sim_changed_at"],
    }));
  } catch (error) {
    return error instanceof joseErrors.JOSEError && BAD_TOKEN_CODES.has(error.code) ? "bad" : "unavailable";
  }
  const { sub, jti, iat, exp, tenure_start: tenureStart } = payload;
  if (sub !== request.number) return "bad";
  if (tenureStart !== Math.floor(Date.parse(request.tenureStart) / 1000)) return "bad";
  if (typeof jti !== "string" || exp === undefined || iat === undefined) return "bad";
  if (exp - iat > ATTESTATION_MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) return "bad";
  const nowSeconds = Math.floor(currentDate.getTime() / 1000);
  const seenJtis = ctx.state.seenJtis;
  for (const [id, seen] of seenJtis) if (seen.exp < nowSeconds - CLOCK_TOLERANCE_SECONDS) seenJtis.delete(id);
  const seen = seenJtis.get(jti);
  if (seen && seen.requestId !== request.requestId) return "bad";
  seenJtis.set(jti, { requestId: request.requestId, exp });
  return "ok";
}
