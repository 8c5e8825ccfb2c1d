import { sql } from "drizzle-orm";
import { bigserial, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { CASE_EVENT_KINDS, CASE_KINDS, CASE_STATUSES } from "../enums";
import { staffUsers } from "./auth";
import { carriers, numberTenures, owners } from "./owners";
import { platforms } from "./platforms";
import { reports } from "./reports";
import { unbindItems } from "./unbind";

export const caseKind = pgEnum("case_kind", CASE_KINDS);
export const caseStatus = pgEnum("case_status", CASE_STATUSES);
export const caseEventKind = pgEnum("case_event_kind", CASE_EVENT_KINDS);

/** Work for a carrier agent (lib/cases writes them; docs/cases.md). */
export const agentCases = pgTable(
  "agent_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: caseKind("kind").notNull(),
    status: caseStatus("status").notNull().default("open"),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    ownerId: uuid("owner_id").references(() => owners.id, { onDelete: "set null" }),
    platformId: uuid("platform_id").references(() => platforms.id),
    unbindItemId: uuid("unbind_item_id").references(() => unbindItems.id, { onDelete: "set null" }),
    reportId: uuid("report_id").references(() => reports.id, { onDelete: "cascade" }),
    /** The subject of a `tenure_review` (and of a `manual` case about a tenure). */
    tenureId: uuid("tenure_id").references(() => numberTenures.id, { onDelete: "set null" }),
    /** The staff member working the case; only an agent assignee (and the owner) may read a report's text and files. */
    assignedTo: uuid("assigned_to").references(() => staffUsers.id),
    /** Why it was opened, as a code. Notes and replies are `case_events` rows (older notes stay here as `[time] staff <id>: text` lines). */
    detail: text("detail"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** Fixed at opening from CASE_FIRST_RESPONSE_HOURS / CASE_RESOLUTION_DAYS: a later setting does not move old promises. */
    firstResponseDueAt: timestamp("first_response_due_at", { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp("resolution_due_at", { withTimezone: true }).notNull(),
    firstRespondedAt: timestamp("first_responded_at", { withTimezone: true }),
    /** The deadline that applies now (first response until it is met, then resolution): what the queue sorts by. */
    nextDueAt: timestamp("next_due_at", { withTimezone: true }).notNull(),
    /**
     * When it was resolved or closed; null while active (reopening clears it). Indexes test this
     * rather than the status so that adding a status never needs them rewritten.
     */
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    // caseQueue's order: active first, then the nearest deadline.
    index("agent_cases_queue_idx").on(t.carrierId, sql`(${t.settledAt} is not null)`, t.nextDueAt, t.id),
    // The queue's filters (bench/agent.ts): each in the queue's order, so a page stops after its rows
    // and the total is an index-only count, instead of reading every case of the carrier.
    index("agent_cases_assignee_idx").on(t.assignedTo, sql`(${t.settledAt} is not null)`, t.nextDueAt, t.id),
    index("agent_cases_unassigned_idx").on(t.carrierId, sql`(${t.settledAt} is not null)`, t.nextDueAt, t.id).where(sql`${t.assignedTo} is null`),
    index("agent_cases_status_idx").on(t.carrierId, t.status, sql`(${t.settledAt} is not null)`, t.nextDueAt, t.id),
    index("agent_cases_kind_idx").on(t.carrierId, t.kind, sql`(${t.settledAt} is not null)`, t.nextDueAt, t.id),
    index("agent_cases_created_idx").on(t.carrierId, t.createdAt),
    index("agent_cases_unbind_item_idx").on(t.unbindItemId),
    index("agent_cases_owner_idx").on(t.ownerId),
    // A report is in an agent's queue at most once while active.
    uniqueIndex("agent_cases_open_report_idx").on(t.reportId).where(sql`${t.settledAt} is null and ${t.reportId} is not null`),
  ],
);

/**
 * A case's timeline: every change (opened, status, assignment, note, reply, the owner's answer,
 * the first response). `textEnc`: a note's or reply's text, encrypted (it may name people);
 * notes are internal, replies and owner replies are what the owner sees.
 */
export const caseEvents = pgTable(
  "case_events",
  {
    /** Chosen before the insert: the text's ciphertext is bound to it. */
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order: the timeline's tiebreak for rows of one moment (opened, then the owner's message). */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => agentCases.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** Null: the system or the owner (`owner_reply`). */
    actorId: uuid("actor_id").references(() => staffUsers.id),
    kind: caseEventKind("kind").notNull(),
    fromStatus: caseStatus("from_status"),
    toStatus: caseStatus("to_status"),
    /** `assigned`: the new assignee (null when unassigned); `routed`: nothing (the carrier is on the case). */
    assigneeId: uuid("assignee_id").references(() => staffUsers.id),
    textEnc: text("text_enc"),
  },
  (t) => [index("case_events_case_idx").on(t.caseId, t.at)],
);

export type AgentCase = typeof agentCases.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
