import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { OUTBOX_KINDS, OUTBOX_STATUSES } from "../enums";
import { platforms } from "./platforms";

export const outboxKind = pgEnum("outbox_kind", OUTBOX_KINDS);
export const outboxStatus = pgEnum("outbox_status", OUTBOX_STATUSES);

/**
 * Transactional outbox: every message to a platform is a row written in the same transaction as
 * the user's action, and delivered at least once by the outbox engine (lib/outbox/).
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: outboxKind("kind").notNull(),
    /**
     * What the message is about, and its id towards the receiver: for an unbind request the item id
     * (requestId, webhook-id, the platform's idempotency key); for an owner SMS the batch id; for a
     * wrong-party report the report id (reportId, webhook-id).
     */
    messageId: uuid("message_id").notNull().unique(),
    /** The receiving platform; null for an SMS to the owner. */
    platformId: uuid("platform_id").references(() => platforms.id),
    status: outboxStatus("status").notNull().default("pending"),
    /** Attempts in the current round: the retry budget (lib/outbox/retry.ts) counts these. */
    attempts: integer("attempts").notNull().default(0),
    /**
     * Attempts of earlier rounds: customer service re-arming a row (lib/outbox/rearm.ts) starts a
     * fresh budget, and the total shown to people is `earlier_attempts + attempts`.
     */
    earlierAttempts: integer("earlier_attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** A dispatcher holds the row until then while it sends. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  // Matches the claim's order, so a claim stops after `limit` rows however long the backlog.
  (t) => [index("outbox_due_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`)],
);

export type OutboxRow = typeof outbox.$inferSelect;
