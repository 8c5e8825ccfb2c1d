import { and, eq, isNull, lt, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import type { Db } from "@/db";
import { staffUsers } from "@/db/schema";
import { decryptText, encryptText } from "@/lib/security/encryption";

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30 seconds. */
export const TOTP_PERIOD_S = 30;
/** One step either side, for a phone clock a little off or a code typed just as it changed. */
export const TOTP_WINDOW = 1;
const ISSUER = "Reclaim";

const totpFor = (secret: string, label = "staff") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_S, secret: Secret.fromBase32(secret) });

/** A new random secret (160 bits, base32), for enrolment. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** The code for a time (the dev script and tests compute codes with this). */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret).generate({ timestamp: at.getTime() });
}

export const timeStep = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_S);

/** The time step a code belongs to, within the window around `now`, or null for a wrong code. */
export function matchTotpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : timeStep(now) + delta;
}

/** The secret is encrypted at rest with the staff id as associated data: copied to another row, it does not decrypt. */
const aad = (staffId: string) => `staff_users.totp_secret:${staffId}`;
export const sealTotpSecret = (staffId: string, secret: string) => encryptText(secret, aad(staffId));
export const openTotpSecret = (staffId: string, sealed: string) => decryptText(sealed, aad(staffId));

export type TotpCheck = { ok: true } | { ok: false; reason: "wrong" | "reused" };

/**
 * Checks a code against the account's secret and, if right, records its time step in the same
 * conditional update, so a code (or an earlier one) is accepted once even by two requests at once.
 */
export async function acceptTotpCode(db: Db, user: { id: string; totpSecret: string | null }, code: string, now: Date): Promise<TotpCheck> {
  if (!user.totpSecret) return { ok: false, reason: "wrong" };
  const step = matchTotpStep(openTotpSecret(user.id, user.totpSecret), code, now);
  if (step === null) return { ok: false, reason: "wrong" };
  const [row] = await db
    .update(staffUsers)
    .set({ totpLastStep: step })
    .where(and(eq(staffUsers.id, user.id), or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step))))
    .returning({ id: staffUsers.id });
  return row ? { ok: true } : { ok: false, reason: "reused" };
}
