import { createHmac, hkdfSync, randomInt } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { staffRecoveryCodes } from "@/db/schema";

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: read off paper and typed again without mistakes. 10 characters ≈ 50 bits.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const key = (secret: string) => Buffer.from(hkdfSync("sha256", secret, "reclaim", "reclaim recovery-code v1", 32));

/** Lower case, no spaces or dashes: what people type back. */
export const normaliseRecoveryCode = (input: string) => input.toLowerCase().replace(/[\s-]/g, "");

/** Looks like a recovery code (not a 6-digit TOTP code). */
export const isRecoveryCodeShape = (input: string) => /^[a-z0-9]{10}$/.test(normaliseRecoveryCode(input)) && !/^\d+$/.test(normaliseRecoveryCode(input));

function hashRecoveryCode(secret: string, staffId: string, code: string): string {
  return createHmac("sha256", key(secret)).update(`${staffId}\u0000${normaliseRecoveryCode(code)}`).digest("base64url");
}

function newCode(): string {
  const raw = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Replaces the account's recovery codes with ten new ones; the clear codes are returned once, to be shown once. */
export async function issueRecoveryCodes(db: Db, staffId: string, secret: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await db.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, staffId));
  await db.insert(staffRecoveryCodes).values(codes.map((code) => ({ staffId, codeHash: hashRecoveryCode(secret, staffId, code) })));
  return codes;
}

/** Uses one code, if it is one of the account's unused ones (a conditional update: once, even concurrently). */
export async function redeemRecoveryCode(db: Db, staffId: string, code: string, secret: string, now: Date): Promise<{ ok: true; remaining: number } | { ok: false }> {
  const [row] = await db
    .update(staffRecoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(staffRecoveryCodes.staffId, staffId), eq(staffRecoveryCodes.codeHash, hashRecoveryCode(secret, staffId, code)), isNull(staffRecoveryCodes.usedAt)))
    .returning({ id: staffRecoveryCodes.id });
  if (!row) return { ok: false };
  const [left] = await db
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.staffId, staffId), isNull(staffRecoveryCodes.usedAt)));
  return { ok: true, remaining: left?.n ?? 0 };
}
