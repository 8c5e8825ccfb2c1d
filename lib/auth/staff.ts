import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { deriveKey, pseudonym } from "@/lib/otp/code";
import { dummyPasswordHash, verifyPassword } from "./password";
import { admitAttempt, attemptLocked, attemptSlots, HashingBusy, hashingSlots, recordFailure, recordSuccess } from "./staff-throttle";
import type { StaffRole } from "./roles";

export interface StaffIdentity {
  id: string;
  name: string;
  role: StaffRole;
  carrierId: string | null;
  /** The account's session version at sign-in, carried in the JWT (see lib/auth/sessions.ts). */
  sessionVersion: number;
}

/** Refused before any password work: too many attempts from this address or across the service, or hashing at capacity. */
export class StaffSignInThrottled extends Error {
  constructor(readonly retryAfterMs: number) {
    super("staff sign-in throttled");
    this.name = "StaffSignInThrottled";
  }
}

/**
 * Email and password check for carrier and regulator staff. Unknown, disabled, locked and
 * wrong-password accounts cost the same time and give the same answer (null), so the form cannot be
 * used to find out who works here.
 */
export async function authenticateStaff(
  db: Db,
  email: string,
  password: string,
  options: { secret: string; now?: Date; /** The client address as lib/client-ip.ts keys it. */ address?: string },
): Promise<StaffIdentity | null> {
  try {
    return await attemptSlots().run(() => checkStaffPassword(db, email, password, options));
  } catch (error) {
    if (error instanceof HashingBusy) throw new StaffSignInThrottled(1000);
    throw error;
  }
}

async function checkStaffPassword(db: Db, email: string, password: string, options: { secret: string; now?: Date; address?: string }): Promise<StaffIdentity | null> {
  const now = options.now ?? new Date();
  const normalised = email.trim().toLowerCase();
  const key = deriveKey(options.secret, "limit-key");
  const attempt = { who: pseudonym(key, `staff:${normalised}`), address: pseudonym(key, `addr:${options.address ?? "unknown"}`) };
  // Throttled per address and service-wide before any hashing (lib/auth/staff-throttle.ts).
  const admitted = await admitAttempt(db, attempt, now);
  if (!admitted.ok) throw new StaffSignInThrottled(admitted.retryAfterMs);
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, normalised));
  let valid: boolean;
  try {
    valid = await hashingSlots().run(async () => verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash())));
  } catch (error) {
    if (error instanceof HashingBusy) throw new StaffSignInThrottled(1000);
    throw error;
  }
  const locked = await attemptLocked(db, attempt, now);
  if (!user || !valid || user.disabledAt || locked) {
    if (!valid) await recordFailure(db, attempt, now);
    if (user) await recordAudit(db, { actorType: "staff", actorId: user.id, action: locked ? "staff.sign_in_locked" : "staff.sign_in_failed" });
    return null;
  }
  await recordSuccess(db, attempt, now);
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
export function setStaffDisabled(db: Db, staffId: string, disabled: boolean, options: { now?: Date; actorId?: string } = {}): Promise<boolean> {
  const change = { disabledAt: disabled ? (options.now ?? new Date()) : null };
  return changeStaffAccount(db, staffId, change, { action: disabled ? "staff.disabled" : "staff.enabled", actorId: options.actorId });
}

/** Changes a staff account's role (and carrier); every session of the old role ends. */
export function setStaffRole(db: Db, staffId: string, role: StaffRole, carrierId: string | null, options: { actorId?: string } = {}): Promise<boolean> {
  return changeStaffAccount(db, staffId, { role, carrierId }, { action: "staff.role_changed", actorId: options.actorId, metadata: { role } });
}

/** The one way a staff account's status or role changes: the session version moves on in the same update, and it is audited. */
async function changeStaffAccount(
  db: Db,
  staffId: string,
  change: Partial<Pick<typeof staffUsers.$inferInsert, "disabledAt" | "role" | "carrierId">>,
  audit: { action: string; actorId?: string; metadata?: Record<string, string> },
): Promise<boolean> {
  const [row] = await db
    .update(staffUsers)
    .set({ ...change, sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
    .where(eq(staffUsers.id, staffId))
    .returning({ id: staffUsers.id });
  if (row) {
    await recordAudit(db, {
      actorType: audit.actorId ? "staff" : "system",
      actorId: audit.actorId ?? null,
      action: audit.action,
      subjectType: "staff_user",
      subjectId: staffId,
      metadata: audit.metadata,
    });
  }
  return Boolean(row);
}
