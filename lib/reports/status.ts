import { and, eq, inArray, lt } from "drizzle-orm";
import type { Db, DbOrTx as Tx } from "@/db";
import { reportEvents, reports, type ReportStatus } from "@/db/schema";
import { closeCasesOf, openCase } from "@/lib/cases/cases";

/**
 * A report only moves forward: received → forwarded → acknowledged → agent_review → resolved or
 * closed. Resolved and closed are final. A late or repeated answer that would move it back is
 * ignored, so callbacks may arrive twice or out of order.
 */
const RANK: Record<ReportStatus, number> = { received: 0, forwarded: 1, acknowledged: 2, agent_review: 3, resolved: 4, closed: 4 };
export const FINAL_REPORT_STATUSES: readonly ReportStatus[] = ["resolved", "closed"];

function reportMovesForward(from: ReportStatus, to: ReportStatus): boolean {
  if (FINAL_REPORT_STATUSES.includes(from)) return false;
  return RANK[to] > RANK[from];
}

export interface ReportTransition {
  to: ReportStatus;
  at: Date;
  /** Why, as a code the owner's page shows in words. */
  reason?: ReportReason | null;
  /** What the platform or agent wrote, shown as is. */
  note?: string | null;
}

export const REPORT_REASONS = ["contact_stopped", "disputed", "no_platform", "delivery_failed", "no_answer", "owner_closed"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A stored reason as one the page can put in words, or null. */
export const knownReason = (reason: string | null): ReportReason | null =>
  (REPORT_REASONS as readonly string[]).includes(reason ?? "") ? (reason as ReportReason) : null;

/** Moves a report forward and writes the timeline entry; false (and no change) otherwise. */
export async function advanceReport(tx: Tx, reportId: string, change: ReportTransition): Promise<boolean> {
  const [report] = await tx.select({ status: reports.status }).from(reports).where(eq(reports.id, reportId)).for("update");
  if (!report || !reportMovesForward(report.status, change.to)) return false;
  const final = FINAL_REPORT_STATUSES.includes(change.to);
  await tx
    .update(reports)
    // A transition without a note keeps the platform's earlier one on show.
    .set({ status: change.to, reason: change.reason ?? null, note: change.note ?? undefined, updatedAt: change.at, ...(final ? { closedAt: change.at } : {}) })
    .where(eq(reports.id, reportId));
  await tx.insert(reportEvents).values({ reportId, status: change.to, at: change.at, reason: change.reason ?? null, note: change.note ?? null });
  // A report that is over leaves the agent queue with it.
  if (final) await closeCasesOf(tx, { reportId }, change.at);
  return true;
}

/**
 * Hands a report to the carrier's agents: status agent_review and one open `report_review` case
 * (lib/cases; `detail` says why: no participating platform, the platform disputed it, delivery
 * failed). Without a carrier on the tenure, the case goes to the prefix's carrier or the unassigned queue.
 */
export async function sendToAgents(
  tx: Tx,
  report: { id: string; ownerId: string; carrierId: string | null; platformId: string | null },
  input: { at: Date; reason: ReportReason; detail?: string; note?: string | null },
): Promise<boolean> {
  const moved = await advanceReport(tx, report.id, { to: "agent_review", at: input.at, reason: input.reason, note: input.note ?? null });
  if (!moved) return false;
  await openCase(tx, {
    kind: "report_review",
    subject: { reportId: report.id },
    ownerId: report.ownerId,
    platformId: report.platformId,
    carrierId: report.carrierId,
    detail: input.detail ?? input.reason,
    at: input.at,
  });
  return true;
}

/** A platform that took a report and has not said what it did for this long: an agent follows up. */
export const REPORT_SILENCE_MS = 14 * 24 * 3600_000;

/**
 * Reports a platform accepted (or acknowledged) and then left unanswered would otherwise read
 * "forwarded" forever: each one quiet for longer than `afterMs` goes to the carrier's agents.
 */
export async function sendSilentReportsToAgents(db: Db, now: Date, afterMs = REPORT_SILENCE_MS): Promise<number> {
  const quiet = await db
    .select({ id: reports.id, ownerId: reports.ownerId, carrierId: reports.carrierId, platformId: reports.platformId })
    .from(reports)
    .where(and(inArray(reports.status, ["forwarded", "acknowledged"]), lt(reports.updatedAt, new Date(now.getTime() - afterMs))))
    .limit(200);
  let moved = 0;
  for (const report of quiet) {
    if (await db.transaction((tx) => sendToAgents(tx, report, { at: now, reason: "no_answer", detail: "no_callback" }))) moved++;
  }
  return moved;
}
