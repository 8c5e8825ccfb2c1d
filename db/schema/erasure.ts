import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { PLATFORM_EVENT_TYPES, TALLY_SUBJECTS } from "../enums";
import { carriers } from "./owners";
import { platforms } from "./platforms";

/**
 * One owner's "delete my data" (PIPL art. 47), as it is kept afterwards: when, and how many rows of
 * each kind went. No owner id, no number: the id is the reference the owner is shown, and the
 * page that explains the erasure reads this row only.
 */
export const erasures = pgTable("erasures", {
  id: uuid("id").primaryKey().defaultRandom(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull(),
  /** Rows removed per kind, and how many platforms are told (lib/owners/erasure.ts, ErasureCounts). */
  removed: jsonb("removed").$type<Record<string, number>>().notNull(),
});

export const tallySubject = pgEnum("tally_subject", TALLY_SUBJECTS);

/**
 * What an erasure leaves for the regulator's aggregates: counts by month (Beijing), carrier,
 * platform, category and final status, never a text, a number or an owner. Statistics add these
 * to the live rows.
 */
export const erasedTallies = pgTable(
  "erased_tallies",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    erasureId: uuid("erasure_id")
      .notNull()
      .references(() => erasures.id, { onDelete: "cascade" }),
    subject: tallySubject("subject").notNull(),
    /** YYYY-MM in Beijing time, of when the report or unbind request was made. */
    month: text("month").notNull(),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    platformId: uuid("platform_id").references(() => platforms.id),
    /** The report category; null for unbind items. */
    category: text("category"),
    status: text("status").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("erased_tallies_month_idx").on(t.subject, t.month)],
);

export const platformEventType = pgEnum("platform_event_type", PLATFORM_EVENT_TYPES);

/**
 * A `POST {platform}/events` message: its id is the outbox message id and the `webhook-id` (the
 * platform's idempotency key). The number is kept only until the event is delivered or given up
 * on, so an erasure leaves no number behind once every platform has been told.
 */
export const platformEvents = pgTable(
  "platform_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    type: platformEventType("type").notNull(),
    number: text("number"),
    /** When it happened (the event's `at`). */
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** The erasure an `owner.erased` event tells of. */
    erasureId: uuid("erasure_id").references(() => erasures.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** Delivered or given up: the number has been cleared. */
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  // One notice per platform and erasure, however often the erasure is attempted.
  (t) => [uniqueIndex("platform_events_erasure_platform_idx").on(t.erasureId, t.platformId).where(sql`${t.erasureId} is not null`)],
);
