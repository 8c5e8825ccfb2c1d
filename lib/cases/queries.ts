import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, staffUsers } from "@/db/schema";

/** A case as a queue shows it: ids and codes only (no number, no report text). */
const queueColumns = {
  id: agentCases.id,
  kind: agentCases.kind,
  carrierId: agentCases.carrierId,
  ownerId: agentCases.ownerId,
  platformId: agentCases.platformId,
  unbindItemId: agentCases.unbindItemId,
  reportId: agentCases.reportId,
  assignedTo: agentCases.assignedTo,
  detail: agentCases.detail,
  createdAt: agentCases.createdAt,
};

/** A carrier's open cases, oldest first: what its agents work through. */
export function carrierQueue(db: Db, carrierId: string, { limit = 100 } = {}) {
  return db
    .select(queueColumns)
    .from(agentCases)
    .where(and(eq(agentCases.carrierId, carrierId), eq(agentCases.status, "open")))
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
    .where(and(isNull(agentCases.carrierId), eq(agentCases.status, "open")))
    .orderBy(asc(agentCases.createdAt), asc(agentCases.id))
    .limit(limit);
}

/** The open cases about one report or unbind item (at most one per kind). */
export function openCasesOf(db: Db, subject: { reportId: string } | { unbindItemId: string }) {
  const column = "reportId" in subject ? agentCases.reportId : agentCases.unbindItemId;
  const id = "reportId" in subject ? subject.reportId : subject.unbindItemId;
  return db.select(queueColumns).from(agentCases).where(and(eq(column, id), eq(agentCases.status, "open")));
}

/**
 * True when the staff member is an enabled agent assigned to the report's open case and works for
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
        eq(agentCases.status, "open"),
        eq(agentCases.assignedTo, staffId),
        eq(staffUsers.role, "agent"),
        isNull(staffUsers.disabledAt),
        eq(staffUsers.carrierId, agentCases.carrierId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
