import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { CONSENT_PURPOSES, LOOKUP_STATUSES } from "../enums";
import { numberTenures, owners } from "./owners";
import { platforms } from "./platforms";

export const consentPurpose = pgEnum("consent_purpose", CONSENT_PURPOSES);

/**
 * Separate consent (PIPL art. 23) before the number goes to any platform: which platforms were
 * listed, the text version agreed to and when. Tied to the tenure, so a later holder of the number
 * never inherits it.
 */
export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    purpose: consentPurpose("purpose").notNull(),
    textVersion: text("text_version").notNull(),
    platformIds: uuid("platform_ids").array().notNull(),
    givenAt: timestamp("given_at", { withTimezone: true }).notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [index("consents_owner_idx").on(t.ownerId, t.tenureId, t.purpose, t.givenAt)],
);

/** One "which platforms still have my number?" request of an owner, for the tenure it was made in. */
export const lookups = pgTable(
  "lookups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    /** The tenure start sent to platforms, kept as it was at the time. */
    tenureStart: timestamp("tenure_start", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("lookups_owner_idx").on(t.ownerId, t.startedAt)],
);

export const lookupStatus = pgEnum("lookup_status", LOOKUP_STATUSES);

/** A platform's answer to one look-up: the enum only, never anything about the account. */
export const lookupResults = pgTable(
  "lookup_results",
  {
    lookupId: uuid("lookup_id")
      .notNull()
      .references(() => lookups.id, { onDelete: "cascade" }),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    status: lookupStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Why the platform is unavailable or was retried: timeout, http_503, bad_signature, … */
    error: text("error"),
    latencyMs: integer("latency_ms"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    /** When a platform that did not answer is asked again; null once final. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** A worker asking the platform holds the row until then, so two never ask at once. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.lookupId, t.platformId] }),
    index("lookup_results_retry_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

export type { LookupStatus } from "../enums";
