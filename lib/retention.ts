import { and, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db";
import { otpChallenges, rateLimits } from "@/db/schema";
import { purgeRevokedSessions } from "@/lib/auth/sessions";
import { OTP_POLICY } from "@/lib/otp/config";

/**
 * Shortest retention: code challenges a day after they expire, rate-limit windows (and locks)
 * once they are over, revoked session ids once their session would have expired. Run by every dispatcher round, so any deployment that delivers the outbox
 * also keeps these tables small. Returns how many rows went.
 */
export async function purgeExpired(db: Db, now: Date): Promise<{ challenges: number; rateLimits: number; revokedSessions: number }> {
  const challenges = await db
    .delete(otpChallenges)
    .where(lt(otpChallenges.expiresAt, new Date(now.getTime() - OTP_POLICY.retentionMs)))
    .returning({ id: otpChallenges.id });
  const limits = await db
    .delete(rateLimits)
    .where(and(lt(rateLimits.windowEnd, now), or(isNull(rateLimits.blockedUntil), lt(rateLimits.blockedUntil, now))))
    .returning({ key: rateLimits.key });
  // A revoked session id only matters until the session would have expired anyway.
  const revoked = await purgeRevokedSessions(db, now);
  return { challenges: challenges.length, rateLimits: limits.length, revokedSessions: revoked };
}
