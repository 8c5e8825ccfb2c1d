import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { OTP_PURPOSES, STAFF_ROLES } from "../enums";
import { createdAt } from "./columns";
import { carriers } from "./owners";

export const staffRole = pgEnum("staff_role", STAFF_ROLES);

export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    displayName: text("display_name").notNull(),
    role: staffRole("role").notNull(),
    /** Agents work the cases of one carrier; regulators and admins see across carriers. */
    carrierId: uuid("carrier_id").references(() => carriers.id),
    passwordHash: text("password_hash").notNull(),
    /** Set by `npm run staff:create` (a one-time password): the first sign-in must choose a new one. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** The TOTP secret, encrypted (lib/security/encryption.ts, bound to this id); set at enrolment. */
    totpSecret: text("totp_secret"),
    /** When the first code confirmed the secret; until then the secret is only a pending enrolment. */
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** The last accepted 30-second time step: a code for it or an earlier one is refused (single use). */
    totpLastStep: integer("totp_last_step"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** Bumped by sign-out everywhere and by any change of status or role: older sessions end at once. */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  // Compared as text: the migration that adds 'supervisor' to the enum cannot use the new value in its own transaction.
  (t) => [check("staff_agent_has_carrier", sql`${t.role}::text not in ('agent', 'supervisor') or ${t.carrierId} is not null`)],
);

/** One-time recovery codes for the second factor: only an HMAC is stored; each works once. */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("staff_recovery_codes_staff_idx").on(t.staffId)],
);

/**
 * Sessions ended by signing out. A JWT session cannot be taken back from the browser, so a copy of
 * the cookie would outlive sign-out; each request checks its session id here. Rows are purged once
 * the session would have expired anyway (the absolute limit).
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

export const otpPurpose = pgEnum("otp_purpose", OTP_PURPOSES);

/**
 * One code sent by SMS. The code itself is never stored: only an HMAC bound to this challenge's id,
 * purpose and number. Rows are deleted a day after they expire.
 */
export const otpChallenges = pgTable(
  "otp_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    purpose: otpPurpose("purpose").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    termsVersion: text("terms_version"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    /** Set when a resend replaced this code. */
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
  },
  (t) => [index("otp_challenges_number_idx").on(t.number, t.purpose, t.createdAt), index("otp_challenges_expires_idx").on(t.expiresAt)],
);
