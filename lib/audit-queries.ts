import "server-only";
import { and, desc, eq, gte, inArray, like, lt, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { ACTOR_TYPES } from "@/db/enums";
import { auditLog, staffUsers } from "@/db/schema";

/**
 * The audit log as a supervisor reads it (app/agent/audit, docs/audit.md). A carrier's log is the
 * rows whose `carrier_id` is the carrier, set when the row was written (lib/audit.ts): the subject
 * is a case or a tenure record of the carrier, or the actor is staff of the carrier, or an owner
 * whose number's open tenure was with the carrier. Rows tied to nothing (the system's jobs,
 * platforms' answers about unbind items) are in no carrier's log. Deciding it per row at read time
 * (an EXISTS per branch) took 0.1–1.4 s at a million rows (bench/agent.ts); one index range does not.
 */

export const AUDIT_PAGE_SIZE = 50;

/** The subject types written today (grep recordAudit): the filter's choices. */
export const AUDIT_SUBJECT_TYPES = [
  "agent_case",
  "carrier_tenures",
  "consent",
  "erasure",
  "lookup",
  "number_tenure",
  "platform_event",
  "report",
  "staff_user",
  "unbind_batch",
  "unbind_item",
] as const;

export interface AuditFilters {
  /** An actor's id, exactly. */
  actor?: string;
  /** An action code exactly (`case.assigned`), or a family without the dot (`case` → `case.*`). */
  action?: string;
  subjectType?: string;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

/** Whose log: one carrier's, or (an admin) everyone's. */
export type AuditScope = { carrierId: string } | { all: true };

export interface AuditEntryView {
  id: number;
  at: Date;
  actorType: (typeof ACTOR_TYPES)[number];
  actorId: string | null;
  /** The staff member's display name when the actor is staff (never an owner's number). */
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ip: string | null;
}

/** `like` with the filter's own characters taken literally. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of the log, newest first (ties by id, so pages never overlap). `page` counts from 1;
 * one row more than a page is read to know whether there is a next one.
 */
export async function listAudit(db: Db, scope: AuditScope, filters: AuditFilters, page = 1, pageSize = AUDIT_PAGE_SIZE) {
  const conditions: SQL[] = [];
  if ("carrierId" in scope) conditions.push(eq(auditLog.carrierId, scope.carrierId));
  if (filters.actor) conditions.push(eq(auditLog.actorId, filters.actor));
  if (filters.action) {
    conditions.push(filters.action.includes(".") ? eq(auditLog.action, filters.action) : like(auditLog.action, `${escapeLike(filters.action)}.%`));
  }
  if (filters.subjectType) conditions.push(eq(auditLog.subjectType, filters.subjectType));
  if (filters.from) conditions.push(gte(auditLog.at, filters.from));
  if (filters.to) conditions.push(lt(auditLog.at, filters.to));

  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorType: auditLog.actorType,
      actorId: auditLog.actorId,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      ip: auditLog.ip,
    })
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize + 1)
    .offset((Math.max(1, page) - 1) * pageSize);

  // Staff names for the page's rows only, by primary key. A join on `id::text = actor_id` (the
  // actor id is text: owners', platforms' and staff ids alike) could use no index and compared
  // every row read against every staff member, before the page was cut (bench/agent.ts).
  const staffIds = [...new Set(rows.filter((r) => r.actorType === "staff" && r.actorId && UUID.test(r.actorId)).map((r) => r.actorId!))];
  const names = staffIds.length
    ? new Map((await db.select({ id: staffUsers.id, name: staffUsers.displayName }).from(staffUsers).where(inArray(staffUsers.id, staffIds))).map((s) => [s.id, s.name]))
    : new Map<string, string>();
  const entries: AuditEntryView[] = rows.slice(0, pageSize).map((r) => ({ ...r, actorName: (r.actorType === "staff" && r.actorId && names.get(r.actorId)) || null }));
  return { entries, hasNext: rows.length > pageSize };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` from the filter form as the start of that day in China (the service's time zone). */
export function dayStart(value: string): Date | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const at = new Date(`${value}T00:00:00+08:00`);
  // new Date accepts 2026-02-30 as March 2nd: the day must read back as written.
  const back = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return back === value ? at : null;
}

export type AuditFilterProblem = "from" | "to" | "range" | "action" | "subjectType" | "actor";

/**
 * The URL's filters, checked: the filters that parse, the problems of those that do not (shown to
 * the supervisor, who keeps what they typed), and the page number.
 */
export function parseAuditParams(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
  };
  const raw = { actor: one("actor"), action: one("action"), subjectType: one("subject"), from: one("from"), to: one("to") };
  const filters: AuditFilters = {};
  const problems: AuditFilterProblem[] = [];

  if (raw.actor) {
    if (raw.actor.length <= 100) filters.actor = raw.actor;
    else problems.push("actor");
  }
  if (raw.action) {
    if (/^[a-z_]+(\.[a-z_]+)*$/.test(raw.action) && raw.action.length <= 100) filters.action = raw.action;
    else problems.push("action");
  }
  if (raw.subjectType) {
    if ((AUDIT_SUBJECT_TYPES as readonly string[]).includes(raw.subjectType)) filters.subjectType = raw.subjectType;
    else problems.push("subjectType");
  }
  if (raw.from) {
    const from = dayStart(raw.from);
    if (from) filters.from = from;
    else problems.push("from");
  }
  if (raw.to) {
    const to = dayStart(raw.to);
    // "To" is the whole of that day.
    if (to) filters.to = new Date(to.getTime() + 24 * 3600_000);
    else problems.push("to");
  }
  if (filters.from && filters.to && filters.from >= filters.to) {
    problems.push("range");
    delete filters.from;
    delete filters.to;
  }
  const pageNumber = Number(one("page") || "1");
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= 10_000 ? pageNumber : 1;
  return { raw, filters, problems, page };
}
