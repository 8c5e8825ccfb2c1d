import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ACTOR_TYPES } from "../enums";
import { carriers } from "./owners";

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
    /**
     * The carrier whose log the row is in, decided when it is written (lib/audit.ts, docs/audit.md):
     * a supervisor's view is then one index range instead of a lookup per row. Null: no carrier's.
     */
    carrierId: uuid("carrier_id").references(() => carriers.id),
  },
  (t) => [
    index("audit_log_subject_idx").on(t.subjectType, t.subjectId, t.at),
    index("audit_log_at_idx").on(t.at),
    // A carrier's log, newest first; the same with one action (a rare one, `number.revealed`, would otherwise walk the year).
    index("audit_log_carrier_idx").on(t.carrierId, t.at, t.id),
    index("audit_log_carrier_action_idx").on(t.carrierId, t.action, t.at),
    // The actor filter: one person's rows, in whichever carrier's log.
    index("audit_log_actor_idx").on(t.actorId, t.at),
  ],
);

export type NewAuditEntry = typeof auditLog.$inferInsert;
