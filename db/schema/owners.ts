import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { TENURE_SOURCES } from "../enums";
import { createdAt } from "./columns";

export const carriers = pgTable("carriers", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Stable short code used in config and partner events: cmcc, cucc, ctcc. */
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  createdAt: createdAt(),
});

export const tenureSource = pgEnum("tenure_source", TENURE_SOURCES);

/**
 * Who held a number and from when. Tenure start is the key fact of the product: a platform
 * binding made before it belongs to a previous owner.
 */
export const numberTenures = pgTable(
  "number_tenures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** E.164, e.g. +8613800138000. */
    number: text("number").notNull(),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    source: tenureSource("source").notNull(),
    simChangedAt: timestamp("sim_changed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("number_tenures_number_idx").on(t.number, t.startedAt),
    // A number has at most one open tenure at a time.
    uniqueIndex("number_tenures_one_open_idx").on(t.number).where(sql`${t.endedAt} is null`),
    check("number_tenures_e164", sql`${t.number} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check("number_tenures_order", sql`${t.endedAt} is null or ${t.endedAt} > ${t.startedAt}`),
  ],
);

/** A number owner, known only by the number they proved they hold. */
export const owners = pgTable("owners", {
  id: uuid("id").primaryKey().defaultRandom(),
  number: text("number").notNull().unique(),
  termsVersion: text("terms_version").notNull(),
  termsAcceptedAt: timestamp("terms_accepted_at", { withTimezone: true }).notNull(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  /** Last time the owner proved the number by SMS code (sign-in or re-verification). */
  lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
  /** Bumped by "sign out everywhere": every session issued before ends on its next request. */
  sessionVersion: integer("session_version").notNull().default(0),
  createdAt: createdAt(),
});
