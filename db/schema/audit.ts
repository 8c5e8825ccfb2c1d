import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { ACTOR_TYPES } from "../enums";

export const actorType = pgEnum("actor_type", ACTOR_TYPES);

/**
 * Append-only record of who did or read what. It names subjects by id, never by phone number or
 * message content. A trigger (migration audit_append_only, docs/access.md) refuses every UPDATE,
 * DELETE and TRUNCATE, so not even the app's own database role can rewrite it.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    /** The client's address as lib/client-ip.ts gives it, for requests made by a person; null for jobs. */
    ip: text("ip"),
  },
  (t) => [index("audit_log_subject_idx").on(t.subjectType, t.subjectId, t.at), index("audit_log_at_idx").on(t.at)],
);

export type NewAuditEntry = typeof auditLog.$inferInsert;
