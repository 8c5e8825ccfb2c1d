import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/**
 * Between the password and the second factor there is no session, only this: a short-lived signed
 * token in an HttpOnly cookie, naming the staff id, the account's session version (so disabling the
 * account or a role change voids it) and the step the account is at.
 */
export const PENDING_COOKIE = "reclaim-staff-pending";
export const PENDING_TTL_S = 5 * 60;

export const PENDING_STAGES = ["change_password", "enrol", "totp", "verified"] as const;
export type PendingStage = (typeof PENDING_STAGES)[number];

export interface PendingSignIn {
  staffId: string;
  sessionVersion: number;
  stage: PendingStage;
}

const key = (secret: string) => new Uint8Array(hkdfSync("sha256", secret, "reclaim", "reclaim staff-pending v1", 32));

export function signPendingToken(pending: PendingSignIn, secret: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sv: pending.sessionVersion, stage: pending.stage })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(pending.staffId)
    .setAudience("reclaim:staff-pending")
    .setIssuedAt(iat)
    .setExpirationTime(iat + PENDING_TTL_S)
    .sign(key(secret));
}

/** The pending sign-in, or null when the token is missing, tampered with, expired or not for this step. */
export async function readPendingToken(token: string | undefined, secret: string, now: Date, stage?: PendingStage): Promise<PendingSignIn | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ["HS256"],
      audience: "reclaim:staff-pending",
      currentDate: now,
    });
    const s = payload.stage as PendingStage;
    if (!payload.sub || typeof payload.sv !== "number" || !PENDING_STAGES.includes(s)) return null;
    if (stage && s !== stage) return null;
    return { staffId: payload.sub, sessionVersion: payload.sv, stage: s };
  } catch {
    return null;
  }
}
