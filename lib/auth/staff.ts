import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { deriveKey, pseudonym } from "@/lib/otp/code";
import { block, blockedFor, increment } from "@/lib/rate-limit";
import { dummyPasswordHash, verifyPassword } from "./password";
import type { StaffRole } from "./roles";

export interface StaffIdentity {
  id: string;
  name: string;
  role: StaffRole;
  carrierId: string | null;
  /** The account's session version at sign-in, carried in the JWT (see lib/auth/sessions.ts). */
  sessionVersion: number;
}

/** Password guessing: 10 wrong passwords for one email within 15 minutes lock it for 15 minutes. */
export const STAFF_LOCK = { failures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

/**
 * Email and password check for carrier and regulator staff. Unknown, disabled, locked and
 * wrong-password accounts cost the same time and give the same answer (null), so the form cannot be
 * used to find out who works here.
 */
export async function authenticateStaff(
  db: Db,
  email: string,
  password: string,
  options: { secret: string; now?: Date },
): Promise<StaffIdentity | null> {
  const now = options.now ?? new Date();
  const normalised = email.trim().toLowerCase();
  const who = pseudonym(deriveKey(options.secret, "limit-key"), `staff:${normalised}`);
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, normalised));
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  const locked = (await blockedFor(db, `staff:lock:${who}`, now)) > 0;
  if (!user || !valid || user.disabledAt || locked) {
    if (!valid) {
      const failures = await increment(db, { key: `staff:fail:${who}`, windowMs: STAFF_LOCK.windowMs }, now);
      if (failures >= STAFF_LOCK.failures) await block(db, `staff:lock:${who}`, new Date(now.getTime() + STAFF_LOCK.lockMs), now);
    }
    if (user) await recordAudit(db, { actorType: "staff", actorId: user.id, action: locked ? "staff.sign_in_locked" : "staff.sign_in_failed" });
    return null;
  }
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.signed_in" });
  return { id: user.id, name: user.displayName, role: user.role, carrierId: user.carrierId, sessionVersion: user.sessionVersion };
}

/**
 * Whether a signed-in staff member may still act: the account exists, is not disabled and keeps
 * the role (and carrier) the session was issued for. Checked on every staff request, so disabling
 * an account or changing its role takes effect at once rather than when the session expires.
 */
export async function staffSessionValid(db: Db, session: { id: string; role: StaffRole; carrierId: string | null }): Promise<boolean> {
  const [user] = await db
    .select({ role: staffUsers.role, carrierId: staffUsers.carrierId, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, session.id));
  return Boolean(user && !user.disabledAt && user.role === session.role && (user.carrierId ?? null) === (session.carrierId ?? null));
}

/**
 * Disables or re-enables a staff account. Either way the session version moves on, so no session
 * issued before (not even one from before an earlier disable) comes back when the account does.
 */
export async function setStaffDisabled(db: Db, staffId: string, disabled: boolean, options: { now?: Date; actorId?: string } = {}): Promise<boolean> {
  const [row] = await db
    .update(staffUsers)
    .set({ disabledAt: disabled ? (options.now ?? new Date()) : null, sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
    .where(eq(staffUsers.id, staffId))
    .returning({ id: staffUsers.id });
  if (row) {
    await recordAudit(db, {
      actorType: options.actorId ? "staff" : "system",
      actorId: options.actorId ?? null,
      action: disabled ? "staff.disabled" : "staff.enabled",
      subjectType: "staff_user",
      subjectId: staffId,
    });
  }
  return Boolean(row);
}

/** Changes a staff account's role (and carrier); every session of the old role ends. */
export async function setStaffRole(db: Db, staffId: string, role: StaffRole, carrierId: string | null, options: { actorId?: string } = {}): Promise<boolean> {
  const [row] = await db
    .update(staffUsers)
    .set({ role, carrierId, sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
    .where(eq(staffUsers.id, staffId))
    .returning({ id: staffUsers.id });
  if (row) {
    await recordAudit(db, {
      actorType: options.actorId ? "staff" : "system",
      actorId: options.actorId ?? null,
      action: "staff.role_changed",
      subjectType: "staff_user",
      subjectId: staffId,
      metadata: { role },
    });
  }
  return Boolean(row);
}
