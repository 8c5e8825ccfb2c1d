import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { NUMBER_EVENT_SOURCES, NUMBER_EVENT_TYPES } from "../enums";
import { carriers } from "./owners";

export const numberEventType = pgEnum("number_event_type", NUMBER_EVENT_TYPES);
export const numberEventSource = pgEnum("number_event_source", NUMBER_EVENT_SOURCES);

/**
 * Carrier records: what a carrier says happened to a number, one row per event, kept as received
 * (append-only in practice: an event id is imported once and never changed). Tenures with source
 * `carrier_record` follow from these (lib/records/events.ts).
 */
export const numberEvents = pgTable(
  "number_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The carrier's id for the event, or a hash of its contents when the carrier gave none. */
    eventId: text("event_id").notNull().unique(),
    /** E.164. */
    number: text("number").notNull(),
    carrierId: uuid("carrier_id")
      .notNull()
      .references(() => carriers.id),
    type: numberEventType("type").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
    source: numberEventSource("source").notNull(),
  },
  (t) => [index("number_events_number_idx").on(t.number, t.at), check("number_events_e164", sql`${t.number} ~ '^\\+[1-9][0-9]{6,14}$'`)],
);

export type NumberEvent = typeof numberEvents.$inferSelect;
export type NewNumberEvent = typeof numberEvents.$inferInsert;
