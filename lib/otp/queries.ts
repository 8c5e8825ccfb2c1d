import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { otpChallenges } from "@/db/schema";

/**
 * The challenge the code step is about (its id from the challenge cookie), or null. Only what the
 * pages show and a resend needs: the code's HMAC never leaves lib/otp.
 */
export async function challengeById(db: Db, id: string | undefined) {
  if (!id) return null;
  const [row] = await db
    .select({ id: otpChallenges.id, number: otpChallenges.number, purpose: otpChallenges.purpose, termsVersion: otpChallenges.termsVersion, createdAt: otpChallenges.createdAt })
    .from(otpChallenges)
    .where(eq(otpChallenges.id, id));
  return row ?? null;
}
