import { and, asc, count, eq, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import type { CaseKind, CaseStatus } from "@/db/enums";
import { agentCases, caseEvents, staffUsers } from "@/db/schema";
import { decryptText } from "@/lib/security/encryption";
import { caseEventAad } from "./cases";

/** A case as a queue shows it: ids and codes only (no number, no report text). */
const queueColumns = {
  id: agentCases.id,
  kind: agentCases.kind,
  carrierId: agentCases.carrierId,
  ownerId: agentCases.ownerId,
  platformId: agentCases.platformId,
  unbindItemId: agentCases.unbindItemId,
  reportId: agentCases.reportId,
  tenureId: agentCases.tenureId,
  status: agentCases.status,
  assignedTo: agentCases.assignedTo,
  detail: agentCases.detail,
  createdAt: agentCases.createdAt,
  firstResponseDueAt: agentCases.firstResponseDueAt,
  resolutionDueAt: agentCases.resolutionDueAt,
  firstRespondedAt: agentCases.firstRespondedAt,
  nextDueAt: agentCases.nextDueAt,
  settledAt: agentCases.settledAt,
};

const active = isNull(agentCases.settledAt);

/** A carrier's active cases, oldest first: what its agents work through. */
export function carrierQueue(db: Db, carrierId: string, { limit = 100 } = {}) {
  return db
    .select(queueColumns)
    .from(agentCases)
    .where(and(eq(agentCases.carrierId, carrierId), active))
    .orderBy(asc(agentCases.createdAt), asc(agentCases.id))
    .limit(limit);
}

/**
 * The unassigned queue: open cases no carrier could be chosen for (no carrier on the tenure and
 * a prefix that is no mainland carrier's), oldest first. Admins route them (`routeCase`).
 */
export function unassignedQueue(db: Db, { limit = 100 } = {}) {
  return db
    .select(queueColumns)
    .from(agentCases)
    .where(and(isNull(agentCases.carrierId), active))
    .orderBy(asc(agentCases.createdAt), asc(agentCases.id))
    .limit(limit);
}

/** The active cases about one report or unbind item (at most one per kind). */
export function openCasesOf(db: Db, subject: { reportId: string } | { unbindItemId: string }) {
  const column = "reportId" in subject ? agentCases.reportId : agentCases.unbindItemId;
  const id = "reportId" in subject ? subject.reportId : subject.unbindItemId;
  return db.select(queueColumns).from(agentCases).where(and(eq(column, id), active));
}

/**
 * True when the staff member is an enabled agent assigned to the report's active case and works for
 * the case's carrier: the one reader of a report's text and files besides its owner.
 */
export async function isAssignedToReport(db: Db, staffId: string, reportId: string): Promise<boolean> {
  const rows = await db
    .select({ id: agentCases.id })
    .from(agentCases)
    .innerJoin(staffUsers, eq(staffUsers.id, agentCases.assignedTo))
    .where(
      and(
        eq(agentCases.reportId, reportId),
        active,
        eq(agentCases.assignedTo, staffId),
        eq(staffUsers.role, "agent"),
        isNull(staffUsers.disabledAt),
        eq(staffUsers.carrierId, agentCases.carrierId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export interface CaseQueueFilter {
  /** Always applied: a queue is one carrier's. */
  carrierId: string;
  status?: CaseStatus;
  kind?: CaseKind;
  /** "me" (with `me`), "unassigned", or a staff id. */
  assignee?: "me" | "unassigned" | string;
  /** The staff member asking, for `assignee: "me"`. */
  me?: string;
  /** Only active cases past the deadline that applies now. */
  overdue?: boolean;
  /** Only cases opened more than this many days ago. */
  olderThanDays?: number;
  now: Date;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export const CASE_QUEUE_MAX_PAGE_SIZE = 100;

/**
 * One page of a carrier's queue, nearest deadline first (the one that applies now, `next_due_at`),
 * with the total the filters match. Two statements, not one with `count(*) over ()`: a window count
 * reads every matching row in full before the first page is returned (100 ms for a carrier with
 * 50,000 cases, bench/agent.ts), while the page alone stops after `limit` rows of the index and the
 * count alone is an index-only scan. The total is also right on a page past the last one.
 */
export async function caseQueue(db: Db, filter: CaseQueueFilter): Promise<{ rows: QueueRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(1, Math.floor(filter.pageSize)), CASE_QUEUE_MAX_PAGE_SIZE);
  const page = Math.max(1, Math.floor(filter.page));
  const where: (SQL | undefined)[] = [eq(agentCases.carrierId, filter.carrierId)];
  if (filter.status) where.push(eq(agentCases.status, filter.status));
  if (filter.kind) where.push(eq(agentCases.kind, filter.kind));
  if (filter.assignee === "unassigned") where.push(isNull(agentCases.assignedTo));
  else if (filter.assignee === "me") where.push(filter.me ? eq(agentCases.assignedTo, filter.me) : sql`false`);
  else if (filter.assignee) where.push(eq(agentCases.assignedTo, filter.assignee));
  if (filter.overdue) where.push(active, lt(agentCases.nextDueAt, filter.now));
  if (filter.olderThanDays !== undefined) where.push(lt(agentCases.createdAt, new Date(filter.now.getTime() - filter.olderThanDays * 86_400_000)));
  const [rows, [counted]] = await Promise.all([
    db
      .select(queueColumns)
      .from(agentCases)
      .where(and(...where))
      // Active cases first (settled ones keep their last deadline but are not waiting on anyone).
      .orderBy(sql`${agentCases.settledAt} is not null`, asc(agentCases.nextDueAt), asc(agentCases.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(agentCases).where(and(...where)),
  ]);
  return { rows, total: counted?.total ?? 0, page, pageSize };
}

export type QueueRow = Awaited<ReturnType<typeof carrierQueue>>[number];

/**
 * A case's timeline, oldest first, with note and reply texts decrypted. `forOwner`: only what the
 * owner may see (no internal notes, no staff ids: replies are "customer service").
 */
export async function caseTimeline(db: Db, caseId: string, { forOwner = false } = {}) {
  const rows = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.at), asc(caseEvents.seq));
  return rows
    .filter((e) => !forOwner || e.kind !== "note")
    .map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actorId: forOwner ? null : e.actorId,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      assigneeId: forOwner ? null : e.assigneeId,
      text: e.textEnc ? decryptText(e.textEnc, caseEventAad(e.id)) : null,
    }));
}
