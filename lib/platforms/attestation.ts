import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { TenureSource } from "@/db/enums";
import { ATTESTATION_ALG, signingKeys, type SigningKey } from "./keys";
import { env, type Env } from "@/lib/env";

/**
 * The signed statement an unbind request carries (DESIGN: "Unbind is not delete, and SIM-swap is
 * real"): who holds the number since when, how we know, when they last proved it by SMS code and
 * whether the SIM changed recently. The platform verifies it against /.well-known/jwks.json and
 * decides. Dates are JWT NumericDates (seconds since the epoch).
 */
export const ATTESTATION_TTL_SECONDS = 15 * 60;
export const ATTESTATION_TYPE = "reclaim-attestation+jwt";

export interface AttestationInput {
  /** The platform's slug: the token's audience, so it cannot be replayed at another platform. */
  platform: string;
  number: string;
  tenureStart: Date;
  tenureSource: TenureSource;
  otpVerifiedAt: Date;
  simChangedAt: Date | null;
}

export function attestationIssuer(config: Pick<Env, "ATTESTATION_ISSUER" | "AUTH_URL"> = env()): string {
  return config.ATTESTATION_ISSUER || (config.AUTH_URL ? new URL(config.AUTH_URL).origin : "urn:reclaim:dev");
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export async function issueAttestation(
  input: AttestationInput,
  { now = new Date(), ttlSeconds = ATTESTATION_TTL_SECONDS, keys, issuer = attestationIssuer() }: { now?: Date; ttlSeconds?: number; keys?: SigningKey[]; issuer?: string } = {},
): Promise<{ token: string; jti: string; expiresAt: Date }> {
  if (!(ttlSeconds > 0 && ttlSeconds <= ATTESTATION_TTL_SECONDS)) throw new Error(`An attestation lives more than 0 and at most ${ATTESTATION_TTL_SECONDS} s`);
  const key = (keys ?? (await signingKeys()))[0];
  if (!key) throw new Error("No attestation signing key");
  const jti = randomUUID();
  const iat = seconds(now);
  const token = await new SignJWT({
    tenure_start: seconds(input.tenureStart),
    tenure_source: input.tenureSource,
    otp_verified_at: seconds(input.otpVerifiedAt),
    sim_changed_at: input.simChangedAt ? seconds(input.simChangedAt) : null,
  })
    .setProtectedHeader({ alg: ATTESTATION_ALG, kid: key.kid, typ: ATTESTATION_TYPE })
    .setIssuer(issuer)
    .setAudience(input.platform)
    .setSubject(input.number)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}
