import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db";
import type { OtpPurpose } from "@/db/enums";
import { otpChallenges } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import type { Locale } from "@/lib/i18n/config";
import { translator } from "@/lib/i18n/translator";
import { block, blockedFor, consumeAll, increment } from "@/lib/rate-limit";
import { SmsSendError, type SmsProvider } from "@/lib/sms/types";
import { codeMatches, deriveKey, generateCode, hashCode, pseudonym } from "./code";
import { OTP_POLICY } from "./config";

export type { OtpPurpose };

export interface OtpDeps {
  db: Db;
  sms: SmsProvider;
  clock: Clock;
  /** Server secret; codes are stored only as an HMAC under a key derived from it. */
  secret: string;
  /** Host named in the SMS's last line, so browsers can offer the code (WebOTP). */
  host: string;
  /** Code source; tests pass a fixed one, production uses crypto.randomInt. */
  generate?: () => string;
}

/**
 * Where a request comes from: the browser's device id (a random cookie, lib/otp/device-cookie.ts)
 * and the client address (lib/client-ip.ts). Either may be missing.
 */
export interface OtpSource {
  device?: string;
  ip: string;
}

/**
 * `rate_limited` / `locked`: this device or address used its own allowance. `number_busy` /
 * `number_locked`: many other devices did, so only a device that signed in with the number before
 * gets through until the wait is over.
 */
export type RequestCodeResult =
  | { ok: true; challengeId: string; resendAt: Date; expiresAt: Date }
  | { ok: false; error: "locked" | "number_locked" | "rate_limited" | "number_busy" | "sms_failed"; retryAfterSeconds: number };

export type VerifyCodeResult =
  | { ok: true; number: string; verifiedAt: Date; termsVersion: string | null }
  | { ok: false; error: "invalid" | "expired" | "used" | "superseded" | "too_many_attempts"; retryAfterSeconds?: number }
  | { ok: false; error: "wrong_code"; triesLeft: number }
  | { ok: false; error: "locked" | "number_locked"; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function keysFor(secret: string, number: string, source: OtpSource) {
  const key = deriveKey(secret, "limit-key");
  const who = pseudonym(key, number);
  const from = source.device ? pseudonym(key, `device:${source.device}`) : pseudonym(key, `ip:${source.ip}`);
  return {
    key,
    who,
    from,
    lock: `otp:lock:${who}:${from}`,
    failures: `otp:fail:${who}:${from}`,
    numberLock: `otp:lock:${who}`,
    numberFailures: `otp:fail:${who}`,
    known: source.device ? `otp:known:${who}:${pseudonym(key, `device:${source.device}`)}` : undefined,
  };
}

async function isKnownDevice(db: Db, known: string | undefined, now: Date): Promise<boolean> {
  return known ? (await blockedFor(db, known, now)) > 0 : false;
}

export function otpSmsText(locale: Locale, code: string, host: string): string {
  const t = translator(locale);
  return `${t("sms.otp", { code, minutes: OTP_POLICY.ttlMs / 60_000 })}\n\n@${host} #${code}`;
}

/**
 * Sends a new code to `number` unless the number is locked or a send limit is reached. The answer
 * never depends on whether the number is known to the service (no enumeration).
 */
export async function requestCode(
  deps: OtpDeps,
  input: { number: string; purpose: OtpPurpose; locale: Locale; ip: string; device?: string; termsVersion?: string },
): Promise<RequestCodeResult> {
  const now = deps.clock.now();
  const k = keysFor(deps.secret, input.number, input);
  const known = await isKnownDevice(deps.db, k.known, now);

  const locked = await blockedFor(deps.db, k.lock, now);
  if (locked > 0) return { ok: false, error: "locked", retryAfterSeconds: seconds(locked) };
  if (!known) {
    const numberLocked = await blockedFor(deps.db, k.numberLock, now);
    if (numberLocked > 0) return { ok: false, error: "number_locked", retryAfterSeconds: seconds(numberLocked) };
  }

  const hour = 60 * 60_000;
  const budget = `otp:send:all:${k.who}`;
  const decision = await consumeAll(
    deps.db,
    [
      { key: `otp:send:gap:${k.who}`, max: 1, windowMs: OTP_POLICY.numberGapMs },
      { key: `otp:send:gap:${k.who}:${k.from}`, max: 1, windowMs: OTP_POLICY.resendIntervalMs },
      { key: `otp:send:hour:${k.who}:${k.from}`, max: OTP_POLICY.sendsPerNumberPerHour, windowMs: hour },
      { key: `otp:send:day:${k.who}:${k.from}`, max: OTP_POLICY.sendsPerNumberPerDay, windowMs: 24 * hour },
      { key: `otp:send:ip:${pseudonym(k.key, input.ip)}`, max: OTP_POLICY.sendsPerIpPerHour, windowMs: hour },
      // A device the number signed in with before keeps its own allowance when others used the budget.
      ...(known ? [] : [{ key: budget, max: OTP_POLICY.sendsPerNumberPerDayAllSources, windowMs: 24 * hour }]),
    ],
    now,
  );
  if (!decision.allowed) {
    return { ok: false, error: decision.key === budget ? "number_busy" : "rate_limited", retryAfterSeconds: seconds(decision.retryAfterMs) };
  }

  const challengeId = randomUUID();
  const code = (deps.generate ?? generateCode)();
  const codeKey = deriveKey(deps.secret, "otp-code");
  const expiresAt = new Date(now.getTime() + OTP_POLICY.ttlMs);
  await deps.db.transaction(async (tx) => {
    // A resend kills every earlier code for this number and purpose.
    await tx
      .update(otpChallenges)
      .set({ supersededAt: now })
      .where(
        and(
          eq(otpChallenges.number, input.number),
          eq(otpChallenges.purpose, input.purpose),
          isNull(otpChallenges.consumedAt),
          isNull(otpChallenges.supersededAt),
        ),
      );
    await tx
      .delete(otpChallenges)
      .where(and(eq(otpChallenges.number, input.number), lt(otpChallenges.expiresAt, new Date(now.getTime() - OTP_POLICY.retentionMs))));
    await tx.insert(otpChallenges).values({
      id: challengeId,
      number: input.number,
      purpose: input.purpose,
      codeHash: hashCode(codeKey, { challengeId, purpose: input.purpose, number: input.number, code }),
      termsVersion: input.termsVersion ?? null,
      createdAt: now,
      expiresAt,
    });
  });

  try {
    await deps.sms.send({
      to: input.number,
      body: otpSmsText(input.locale, code, deps.host),
      locale: input.locale,
      device: input.device,
      template: { kind: "otp", params: { code, minutes: String(OTP_POLICY.ttlMs / 60_000) } },
    });
  } catch (err) {
    // The provider's reason is logged; the number, the text and the code are not.
    console.error("[otp] SMS not sent:", err instanceof SmsSendError ? err.message : "unexpected provider error");
    return { ok: false, error: "sms_failed", retryAfterSeconds: seconds(OTP_POLICY.resendIntervalMs) };
  }
  return { ok: true, challengeId, resendAt: new Date(now.getTime() + OTP_POLICY.resendIntervalMs), expiresAt };
}

/**
 * Checks a code against its challenge. The challenge row is locked for the check, so of two
 * concurrent correct submissions exactly one succeeds. Wrong codes count against the code (5),
 * against the (number, source) across resends (10 an hour lock that source out for an hour) and
 * against the number (30 an hour close it to devices that never signed in with it, for an hour).
 */
export async function verifyCode(
  deps: Omit<OtpDeps, "sms" | "host">,
  input: { challengeId: string; code: string; purpose: OtpPurpose; source?: OtpSource },
): Promise<VerifyCodeResult> {
  const now = deps.clock.now();
  const source = input.source ?? { ip: "unknown" };
  if (!/^[0-9a-f-]{36}$/i.test(input.challengeId)) return { ok: false, error: "invalid" };
  return deps.db.transaction(async (tx): Promise<VerifyCodeResult> => {
    const [challenge] = await tx.select().from(otpChallenges).where(eq(otpChallenges.id, input.challengeId)).for("update");
    if (!challenge || challenge.purpose !== input.purpose) return { ok: false, error: "invalid" };
    if (challenge.consumedAt) return { ok: false, error: "used" };
    if (challenge.supersededAt) return { ok: false, error: "superseded" };
    if (challenge.expiresAt.getTime() <= now.getTime()) return { ok: false, error: "expired" };

    const k = keysFor(deps.secret, challenge.number, source);
    const known = await isKnownDevice(tx, k.known, now);
    const locked = await blockedFor(tx, k.lock, now);
    if (locked > 0) return { ok: false, error: "locked", retryAfterSeconds: seconds(locked) };
    if (!known) {
      const numberLocked = await blockedFor(tx, k.numberLock, now);
      if (numberLocked > 0) return { ok: false, error: "number_locked", retryAfterSeconds: seconds(numberLocked) };
    }
    if (challenge.attempts >= OTP_POLICY.maxAttemptsPerCode) return { ok: false, error: "too_many_attempts" };

    const codeKey = deriveKey(deps.secret, "otp-code");
    const matches = codeMatches(codeKey, challenge.codeHash, {
      challengeId: challenge.id,
      purpose: challenge.purpose,
      number: challenge.number,
      code: input.code,
    });
    if (matches) {
      await tx.update(otpChallenges).set({ consumedAt: now }).where(eq(otpChallenges.id, challenge.id));
      // This browser proved it holds the number: later limits caused by others do not stop it.
      if (k.known) await block(tx, k.known, new Date(now.getTime() + OTP_POLICY.knownDeviceMs), now);
      return { ok: true, number: challenge.number, verifiedAt: now, termsVersion: challenge.termsVersion };
    }

    const attempts = challenge.attempts + 1;
    await tx.update(otpChallenges).set({ attempts }).where(eq(otpChallenges.id, challenge.id));
    const numberFailed = await increment(tx, { key: k.numberFailures, windowMs: OTP_POLICY.failureWindowMs }, now);
    if (numberFailed >= OTP_POLICY.numberFailuresBeforeLock) await block(tx, k.numberLock, new Date(now.getTime() + OTP_POLICY.lockMs), now);
    const failed = await increment(tx, { key: k.failures, windowMs: OTP_POLICY.failureWindowMs }, now);
    if (failed >= OTP_POLICY.failuresBeforeLock) {
      await block(tx, k.lock, new Date(now.getTime() + OTP_POLICY.lockMs), now);
      return { ok: false, error: "locked", retryAfterSeconds: seconds(OTP_POLICY.lockMs) };
    }
    const triesLeft = OTP_POLICY.maxAttemptsPerCode - attempts;
    return triesLeft > 0 ? { ok: false, error: "wrong_code", triesLeft } : { ok: false, error: "too_many_attempts" };
  });
}

/** Unbind requests need a code verified within the last 15 minutes. */
export function needsReverification(otpVerifiedAt: Date | string | undefined, now: Date): boolean {
  const at = otpVerifiedAt ? new Date(otpVerifiedAt).getTime() : NaN;
  // Unknown, unreadable or future times fail closed.
  if (!Number.isFinite(at) || at > now.getTime()) return true;
  return now.getTime() - at > OTP_POLICY.reverifyAfterMs;
}
