import { createHmac, hkdfSync, randomInt, timingSafeEqual } from "node:crypto";

export const CODE_LENGTH = 6;

/** A uniformly random 6-digit code (leading zeros kept). */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, "0");
}

/** Separate keys for separate uses, all derived from the one server secret. */
export function deriveKey(secret: string, purpose: "otp-code" | "limit-key"): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "reclaim", `reclaim ${purpose} v1`, 32));
}

/**
 * The only form in which a code is stored. Binding the challenge id, purpose and number into the
 * MAC means a code cannot be replayed against another challenge, purpose or number.
 */
export function hashCode(key: Buffer, input: { challengeId: string; purpose: string; number: string; code: string }): string {
  return createHmac("sha256", key)
    .update([input.challengeId, input.purpose, input.number, input.code].join("\u0000"))
    .digest("base64url");
}

export function codeMatches(key: Buffer, stored: string, input: Parameters<typeof hashCode>[1]): boolean {
  const expected = Buffer.from(stored, "base64url");
  const actual = Buffer.from(hashCode(key, input), "base64url");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Accepts what people type or paste: spaces, dashes, full-width digits. */
export function normaliseCode(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\s-]/g, "");
}

/** A stable pseudonym for a number or an IP in limit keys, so the table holds no personal data. */
export function pseudonym(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url").slice(0, 22);
}
