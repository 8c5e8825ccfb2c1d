import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { STAFF_ROLES } from "@/db/enums";
import { carriers, staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { deriveKey, normaliseCode, pseudonym } from "@/lib/otp/code";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { isRecoveryCodeShape, issueRecoveryCodes, redeemRecoveryCode } from "./recovery-codes";
import type { PendingSignIn, PendingStage } from "./staff-pending";
import {
  admitAttempt,
  attemptLocked,
  attemptSlots,
  HashingBusy,
  hashingSlots,
  recordFailure,
  recordSecondFactorFailure,
  recordSuccess,
  secondFactorLocked,
} from "./staff-throttle";
import { acceptTotpCode, generateTotpSecret, matchTotpStep, openTotpSecret, sealTotpSecret } from "./totp";
import { carrierScoped, type StaffRole } from "./roles";

export interface StaffIdentity {
  id: string;
  name: string;
  role: StaffRole;
  carrierId: string | null;
  /** The account's session version at sign-in, carried in the JWT (see lib/auth/sessions.ts). */
  sessionVersion: number;
}

/** What the password step hands on: who it is, and the step their sign-in goes to next. */
export interface StaffPasswordAccepted {
  id: string;
  sessionVersion: number;
  next: Exclude<PendingStage, "verified">;
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
): Promise<StaffPasswordAccepted | null> {
  try {
    return await attemptSlots().run(() => checkStaffPassword(db, email, password, options));
  } catch (error) {
    if (error instanceof HashingBusy) throw new StaffSignInThrottled(1000);
    throw error;
  }
}

async function checkStaffPassword(db: Db, email: string, password: string, options: { secret: string; now?: Date; address?: string }): Promise<StaffPasswordAccepted | null> {
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
  // A hash from before argon2id (or with older parameters) is replaced now that the password is known.
  if (needsRehash(user.passwordHash)) {
    const upgraded = await hashingSlots().run(() => hashPassword(password));
    await db.update(staffUsers).set({ passwordHash: upgraded }).where(eq(staffUsers.id, user.id));
  }
  // No session yet: the password only opens the second factor (or the steps before it).
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.password_accepted" });
  return { id: user.id, sessionVersion: user.sessionVersion, next: nextStage(user) };
}

function nextStage(user: { mustChangePassword: boolean; totpEnabledAt: Date | null }): StaffPasswordAccepted["next"] {
  if (user.mustChangePassword) return "change_password";
  return user.totpEnabledAt ? "totp" : "enrol";
}

/** The account behind a pending sign-in, if it is still the same (not disabled, same session version). */
export async function pendingStaffUser(db: Db, pending: PendingSignIn) {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, pending.staffId));
  if (!user || user.disabledAt || user.sessionVersion !== pending.sessionVersion) return null;
  return user;
}

function identityOf(user: typeof staffUsers.$inferSelect): StaffIdentity {
  return { id: user.id, name: user.displayName, role: user.role, carrierId: user.carrierId, sessionVersion: user.sessionVersion };
}

/** The change-password step (after a one-time password): the new password replaces it, and the sign-in goes on. */
export async function changeStaffPassword(db: Db, pending: PendingSignIn, password: string): Promise<StaffPasswordAccepted> {
  const user = await pendingStaffUser(db, pending);
  if (!user || !user.mustChangePassword) throw new AppError("expired:staff_sign_in", { status: 401 });
  if (await verifyPassword(password, user.passwordHash)) throw new AppError("same:staff_password", { field: "password" });
  const passwordHash = await hashingSlots().run(() => hashPassword(password));
  await db.update(staffUsers).set({ passwordHash, mustChangePassword: false }).where(eq(staffUsers.id, user.id));
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.password_changed" });
  return { id: user.id, sessionVersion: user.sessionVersion, next: nextStage({ ...user, mustChangePassword: false }) };
}

/**
 * The secret an enrolling account is shown: made (and stored encrypted) on first view, the same on
 * a reload until a code confirms it. An enrolled account gets null: its secret is never shown again.
 */
export async function enrolmentSecret(db: Db, pending: PendingSignIn): Promise<{ secret: string; email: string } | null> {
  const user = await pendingStaffUser(db, pending);
  if (!user || user.totpEnabledAt || user.mustChangePassword) return null;
  if (user.totpSecret) return { secret: openTotpSecret(user.id, user.totpSecret), email: user.email };
  const secret = generateTotpSecret();
  await db.update(staffUsers).set({ totpSecret: sealTotpSecret(user.id, secret), totpLastStep: null }).where(eq(staffUsers.id, user.id));
  return { secret, email: user.email };
}

/** Enrolment confirmed by a first code: the factor is on, and ten recovery codes are issued (returned once, in clear). */
export async function confirmEnrolment(db: Db, pending: PendingSignIn, code: string, options: { secret: string; now: Date }): Promise<string[]> {
  const user = await pendingStaffUser(db, pending);
  if (!user || user.totpEnabledAt || !user.totpSecret) throw new AppError("expired:staff_sign_in", { status: 401 });
  if (await secondFactorLocked(db, user.id, options.now)) throw new AppError("locked:staff_totp", { status: 429, field: "code" });
  const step = matchTotpStep(openTotpSecret(user.id, user.totpSecret), normaliseCode(code), options.now);
  if (step === null) {
    await recordSecondFactorFailure(db, user.id, options.now);
    throw new AppError("wrong_code:staff_enrol", { field: "code" });
  }
  await db.update(staffUsers).set({ totpEnabledAt: options.now, totpLastStep: step }).where(eq(staffUsers.id, user.id));
  const codes = await issueRecoveryCodes(db, user.id, options.secret);
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.totp_enrolled" });
  return codes;
}

/**
 * The last step of a staff sign-in, called by the "staff-totp" provider: a TOTP code or a recovery
 * code for a pending "totp" sign-in, or nothing for a "verified" one (enrolment just checked a code).
 * Wrong and replayed codes count towards a lock-out of the code step (lib/auth/staff-throttle.ts).
 */
export async function completeStaffSignIn(db: Db, pending: PendingSignIn, code: string | undefined, options: { secret: string; now: Date }): Promise<StaffIdentity> {
  const user = await pendingStaffUser(db, pending);
  const stageOk = pending.stage === "verified" ? Boolean(user?.totpEnabledAt) : pending.stage === "totp";
  if (!user || !stageOk || !user.totpEnabledAt) throw new AppError("expired:staff_sign_in", { status: 401 });
  if (pending.stage === "totp") {
    const now = options.now;
    if (await secondFactorLocked(db, user.id, now)) {
      await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.second_factor_locked" });
      throw new AppError("locked:staff_totp", { status: 429, field: "code" });
    }
    const typed = (code ?? "").trim();
    if (isRecoveryCodeShape(typed)) {
      const used = await redeemRecoveryCode(db, user.id, typed, options.secret, now);
      if (!used.ok) {
        await recordSecondFactorFailure(db, user.id, now);
        await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.second_factor_failed" });
        throw new AppError("wrong_code:staff_totp", { field: "code" });
      }
      await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.recovery_code_used", metadata: { remaining: String(used.remaining) } });
    } else {
      const result = await acceptTotpCode(db, user, normaliseCode(typed), now);
      if (!result.ok) {
        await recordSecondFactorFailure(db, user.id, now);
        await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.second_factor_failed" });
        throw new AppError(result.reason === "reused" ? "reused_code:staff_totp" : "wrong_code:staff_totp", { field: "code" });
      }
    }
  }
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.signed_in" });
  return identityOf(user);
}

export const staffCreateInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  role: z.enum(STAFF_ROLES),
  carrier: z.string().trim().max(32).optional(),
  name: z.string().trim().min(1).max(120),
});

export type StaffCreateResult =
  | { ok: true; id: string; email: string; password: string }
  | { ok: false; errors: string[] };

// No look-alike characters: the one-time password is read off a screen and typed.
const PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";

/** A random one-time password (about 100 bits), in groups of four. */
export function oneTimePassword(): string {
  const raw = Array.from({ length: 16 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");
  return raw.match(/.{4}/g)!.join("-");
}

/**
 * Creates a staff account (`npm run staff:create`, and the e2e seam): a one-time password that must
 * be changed at first sign-in, no second factor yet (enrolled then). Agents need a carrier, by code,
 * in any case; other roles have none.
 */
export async function createStaffUser(db: Db, raw: unknown): Promise<StaffCreateResult> {
  const parsed = staffCreateInput.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `--${String(i.path[0] ?? "?")}: ${i.message}`) };
  const input = parsed.data;
  let carrierId: string | null = null;
  if (carrierScoped(input.role)) {
    if (!input.carrier) return { ok: false, errors: [`--carrier: ${input.role === "agent" ? "an" : "a"} ${input.role} works for one carrier: give its code (e.g. CMCC)`] };
    const [carrier] = await db
      .select({ id: carriers.id })
      .from(carriers)
      .where(sql`lower(${carriers.code}) = ${input.carrier.toLowerCase()}`);
    if (!carrier) {
      const known = (await db.select({ code: carriers.code }).from(carriers)).map((c) => c.code.toUpperCase());
      return { ok: false, errors: [`--carrier: no carrier with code ${input.carrier}${known.length ? ` (known: ${known.join(", ")})` : ""}`] };
    }
    carrierId = carrier.id;
  } else if (input.carrier) {
    return { ok: false, errors: [`--carrier: only agents and supervisors belong to a carrier, not a ${input.role}`] };
  }
  const password = oneTimePassword();
  const [row] = await db
    .insert(staffUsers)
    .values({ email: input.email, displayName: input.name, role: input.role, carrierId, passwordHash: await hashPassword(password), mustChangePassword: true })
    .onConflictDoNothing({ target: staffUsers.email })
    .returning({ id: staffUsers.id });
  if (!row) return { ok: false, errors: [`--email: a staff account with this email already exists`] };
  await recordAudit(db, { actorType: "system", action: "staff.created", subjectType: "staff_user", subjectId: row.id, metadata: { role: input.role } });
  return { ok: true, id: row.id, email: input.email, password };
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
