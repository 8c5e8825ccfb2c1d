import { eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { owners, revokedSessions, staffUsers } from "@/db/schema";
import type { Role } from "./roles";

/**
 * Server-side control over JWT sessions. A JWT lives in the browser and cannot be taken back, so
 * every request checks two things in the database:
 *
 * - the session id (`sid`, random per sign-in) is not on the revocation list: signing out adds it;
 * - the session version (`sv`, read from the account at sign-in) still equals the account's
 *   `session_version`: "sign out everywhere" and any staff status or role change bump it, which
 *   ends every session issued before.
 */

export interface SessionClaims {
  role: Role;
  userId: string;
  sessionId: string | undefined;
  version: number | undefined;
  now: Date;
}

/** Whether a session may still be used. Tokens without a session id or version are refused. */
export async function sessionStillValid(db: Db, claims: SessionClaims): Promise<boolean> {
  const { role, userId, sessionId, version } = claims;
  if (!sessionId || typeof version !== "number" || !userId) return false;
  const [revoked] = await db.select({ sessionId: revokedSessions.sessionId }).from(revokedSessions).where(eq(revokedSessions.sessionId, sessionId));
  if (revoked) return false;
  if (!isUuid(userId)) return false;
  if (role === "owner") {
    const [owner] = await db.select({ version: owners.sessionVersion }).from(owners).where(eq(owners.id, userId));
    return owner?.version === version;
  }
  const [staff] = await db
    .select({ version: staffUsers.sessionVersion, role: staffUsers.role, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  return Boolean(staff && staff.version === version && !staff.disabledAt && staff.role === role);
}

/** Ends one session (sign-out). `expiresAt`: when it would have ended anyway; the row goes then. */
export async function revokeSession(db: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await db.insert(revokedSessions).values({ sessionId, expiresAt }).onConflictDoNothing();
}

/** Ends every session of one account issued so far; returns the new version. */
export async function signOutEverywhere(db: Db, account: { role: Role; userId: string }): Promise<number | null> {
  if (account.role === "owner") {
    const [row] = await db
      .update(owners)
      .set({ sessionVersion: sql`${owners.sessionVersion} + 1` })
      .where(eq(owners.id, account.userId))
      .returning({ version: owners.sessionVersion });
    return row?.version ?? null;
  }
  return bumpStaffSessions(db, account.userId);
}

/** Ends every session of a staff account: call on any change of status, role or carrier. */
export async function bumpStaffSessions(db: Db, staffId: string): Promise<number | null> {
  const [row] = await db
    .update(staffUsers)
    .set({ sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
    .where(eq(staffUsers.id, staffId))
    .returning({ version: staffUsers.sessionVersion });
  return row?.version ?? null;
}

/** Drops revocations of sessions past their absolute limit (they are refused anyway). */
export async function purgeRevokedSessions(db: Db, now: Date): Promise<number> {
  const deleted = await db.delete(revokedSessions).where(lte(revokedSessions.expiresAt, now)).returning({ sessionId: revokedSessions.sessionId });
  return deleted.length;
}

/** A forged or malformed `sub` must be a refusal, not a database error on a uuid column. */
function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
