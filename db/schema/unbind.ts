import { sql } from "drizzle-orm";
import { bigserial, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { UNBIND_STATUSES } from "../enums";
import { numberTenures, owners } from "./owners";
import { platforms } from "./platforms";

/** One owner request to unbind the number on several platforms at once. */
export const unbindBatches = pgTable(
  "unbind_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    /** Sorted platform ids: the same selection while one is open is the same batch. */
    selection: text("selection").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** The owner's language when sending: the completion SMS is written in it. */
    locale: text("locale").notNull().default("zh-CN"),
    /** When the owner last proved the number before sending: the attestation's otp_verified_at. */
    verifiedAt: timestamp("verified_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** When the "your request is complete" SMS was queued (once). */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [
    index("unbind_batches_owner_idx").on(t.ownerId, t.createdAt),
    uniqueIndex("unbind_batches_open_selection_idx").on(t.ownerId, t.selection).where(sql`${t.completedAt} is null`),
  ],
);

export const unbindStatus = pgEnum("unbind_status", UNBIND_STATUSES);

/** One platform's part of a batch. Its id is the protocol's requestId and the webhook-id. */
export const unbindItems = pgTable(
  "unbind_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => unbindBatches.id, { onDelete: "cascade" }),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    status: unbindStatus("status").notNull().default("queued"),
    /** scheduled: when the platform will unbind. */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    /** rejected / needs_owner_action / failed: a reason code, shown in words. */
    reason: text("reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("unbind_items_batch_platform_idx").on(t.batchId, t.platformId)],
);

/** The timeline of an item: every status it went through, with when. */
export const unbindEvents = pgTable(
  "unbind_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => unbindItems.id, { onDelete: "cascade" }),
    status: unbindStatus("status").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    reason: text("reason"),
  },
  (t) => [index("unbind_events_item_idx").on(t.itemId, t.at)],
);

export type { UnbindStatus } from "../enums";
