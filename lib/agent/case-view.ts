import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, numberTenures, outbox, owners, platforms, reports, staffUsers, unbindBatches, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { inCurrentHolding } from "@/lib/cases/owner";
import { caseTimeline, isAssignedToReport } from "@/lib/cases/queries";
import { isSettled, timeLeft } from "@/lib/cases/status";
import { redactText } from "@/lib/reports/redact";
import { openField } from "@/lib/reports/sealed";
import { openTenure } from "@/lib/tenure";
import { RESENDABLE } from "@/lib/unbind/resend";
import { numberView, type CarrierScope, type Reader } from "./number-view";

/**
 * The agent console's case page (issue 14): one case of the staff member's carrier with
 * everything an agent needs to work it — the case and its deadline, its timeline, and the
 * number's data through `numberView` (the same scoping: only the carrier's tenures and what the
 * owners did in them). Reports come as a redacted preview only; their text is read through an
 * audited reveal, by the agent the report's case is assigned to.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A preview is this long at most (the page shows a line or two). */
export const REPORT_PREVIEW_CHARS = 160;

/** The case row when the scope may see it (its carrier's; an admin any); null for another carrier's, an unknown or a malformed id alike. */
export async function scopedCase(db: Db, caseId: string, scope: CarrierScope) {
  if (!UUID.test(caseId)) return null;
  const [row] = await db
    .select()
    .from(agentCases)
    .where(and(eq(agentCases.id, caseId), scope ? eq(agentCases.carrierId, scope) : undefined));
  return row ?? null;
}

export type ScopedCase = NonNullable<Awaited<ReturnType<typeof scopedCase>>>;

/** The tenure a case is about: its own, its unbind item's batch's, its report's, else its owner's open one. */
async function tenureOfCase(db: Db, c: ScopedCase): Promise<string | null> {
  if (c.tenureId) return c.tenureId;
  if (c.unbindItemId) {
    const [row] = await db.select({ id: unbindBatches.tenureId }).from(unbindItems).innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId)).where(eq(unbindItems.id, c.unbindItemId));
    if (row) return row.id;
  }
  if (c.reportId) {
    const [row] = await db.select({ id: reports.tenureId }).from(reports).where(eq(reports.id, c.reportId));
    if (row) return row.id;
  }
  if (c.ownerId) {
    const [owner] = await db.select({ number: owners.number }).from(owners).where(eq(owners.id, c.ownerId));
    if (owner) return (await openTenure(db, owner.number))?.id ?? null;
  }
  return null;
}

/** The batch of the case's own unbind item, with each item's platform status and whether it may be re-sent now. */
async function ownBatch(db: Db, unbindItemId: string | null) {
  if (!unbindItemId) return null;
  const [item] = await db.select({ batchId: unbindItems.batchId }).from(unbindItems).where(eq(unbindItems.id, unbindItemId));
  if (!item) return null;
  const rows = await db
    .select({ id: unbindItems.id, status: unbindItems.status, platformStatus: platforms.status, outboxStatus: outbox.status })
    .from(unbindItems)
    .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
    .leftJoin(outbox, eq(outbox.messageId, unbindItems.id))
    .where(eq(unbindItems.batchId, item.batchId));
  return {
    id: item.batchId,
    items: new Map(
      rows.map((r) => [
        r.id,
        {
          platformStatus: r.platformStatus,
          // What the server checks again (lib/unbind/resend.ts); this only decides which buttons the page shows.
          resendable: RESENDABLE.includes(r.status) && r.platformStatus !== "disabled" && r.outboxStatus !== "pending",
        },
      ]),
    ),
  };
}

/**
 * What the case page shows, or null for a case the scope may not see (the page then 404s). `now`
 * decides the deadline's time left.
 */
export async function caseView(db: Db, caseId: string, scope: CarrierScope, now: Date) {
  const c = await scopedCase(db, caseId, scope);
  if (!c) return null;
  const tenureId = await tenureOfCase(db, c);
  const [timeline, number, batch, platform] = await Promise.all([
    caseTimeline(db, c.id),
    tenureId ? numberView(db, tenureId, scope) : Promise.resolve(null),
    ownBatch(db, c.unbindItemId),
    c.platformId ? db.select({ status: platforms.status }).from(platforms).where(eq(platforms.id, c.platformId)) : Promise.resolve([]),
  ]);
  const staffIds = [...new Set([c.assignedTo, ...timeline.flatMap((e) => [e.actorId, e.assigneeId])].filter((id): id is string => !!id))];
  const staff = staffIds.length ? await db.select({ id: staffUsers.id, name: staffUsers.displayName }).from(staffUsers).where(inArray(staffUsers.id, staffIds)) : [];
  const nameOf = new Map(staff.map((s) => [s.id, s.name]));

  const reportIds = number?.reports.map((r) => r.id) ?? [];
  const texts = reportIds.length ? await db.select({ id: reports.id, textEnc: reports.textEnc, platformId: reports.platformId }).from(reports).where(inArray(reports.id, reportIds)) : [];
  const preview = new Map(texts.map((r) => [r.id, { preview: previewOf(redactText(openField(r.id, "text", r.textEnc))), platformId: r.platformId }]));

  return {
    case: {
      id: c.id,
      kind: c.kind,
      carrierId: c.carrierId,
      status: c.status,
      settled: isSettled(c.status),
      detail: c.detail,
      createdAt: c.createdAt,
      platformId: c.platformId,
      /** A participating platform: "contact" can go through the protocol. */
      platformActive: platform[0]?.status === "active",
      unbindItemId: c.unbindItemId,
      reportId: c.reportId,
      hasOwner: c.ownerId !== null,
      /** The owner still holds the number the case is about: replies (and their SMS) can reach them. */
      ownerReachable: c.ownerId !== null && (await inCurrentHolding(db, c.id)),
      assignee: c.assignedTo ? { id: c.assignedTo, name: nameOf.get(c.assignedTo) ?? null } : null,
      timeLeft: timeLeft(c, now),
    },
    tenureId,
    timeline: timeline.map((e) => ({ ...e, actorName: e.actorId ? (nameOf.get(e.actorId) ?? null) : null, assigneeName: e.assigneeId ? (nameOf.get(e.assigneeId) ?? null) : null })),
    number: number
      ? {
          ...number,
          batches: number.batches.map((b) => ({
            ...b,
            own: b.id === batch?.id,
            items: b.items.map((i) => ({ ...i, resendable: b.id === batch?.id && (batch?.items.get(i.id)?.resendable ?? false) })),
          })),
          reports: number.reports.map((r) => ({ ...r, preview: preview.get(r.id)?.preview ?? "", platformId: preview.get(r.id)?.platformId ?? null })),
        }
      : null,
  };
}

export type CaseView = NonNullable<Awaited<ReturnType<typeof caseView>>>;

const previewOf = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > REPORT_PREVIEW_CHARS ? `${line.slice(0, REPORT_PREVIEW_CHARS - 1)}…` : line;
};

/** The case page's data with the read audited (`case.viewed`, by case id); null (and nothing written) when not the reader's. */
export async function openCaseView(db: Db, caseId: string, reader: Reader, now: Date) {
  const view = await caseView(db, caseId, reader.scope, now);
  if (view) await recordAudit(db, { actorType: "staff", actorId: reader.staffId, action: "case.viewed", subjectType: "agent_case", subjectId: view.case.id });
  return view;
}

export type RevealReportResult = { ok: true; text: string } | { ok: false; error: "not_found" | "not_assigned" };

/**
 * A report's full text on the case page: a report of the case's number in the scope (another
 * carrier's, or one the case does not show, is not found), and only for the agent the report's
 * own case is assigned to (the one reader besides its owner, docs/cases.md). Audited
 * (`report.revealed`, by report id); the text goes back in that response only.
 */
export async function revealCaseReport(db: Db, input: { caseId: string; reportId: string; reader: Reader }): Promise<RevealReportResult> {
  if (!UUID.test(input.reportId)) return { ok: false, error: "not_found" };
  const c = await scopedCase(db, input.caseId, input.reader.scope);
  if (!c) return { ok: false, error: "not_found" };
  const tenureId = await tenureOfCase(db, c);
  const view = tenureId ? await numberView(db, tenureId, input.reader.scope) : null;
  if (!view?.reports.some((r) => r.id === input.reportId)) return { ok: false, error: "not_found" };
  if (!(await isAssignedToReport(db, input.reader.staffId, input.reportId))) return { ok: false, error: "not_assigned" };
  const [row] = await db.select({ textEnc: reports.textEnc }).from(reports).where(eq(reports.id, input.reportId));
  await recordAudit(db, { actorType: "staff", actorId: input.reader.staffId, action: "report.revealed", subjectType: "report", subjectId: input.reportId, metadata: { caseId: c.id } });
  return { ok: true, text: openField(input.reportId, "text", row!.textEnc) };
}

/** The tenure row a case is about, for the confirm form (its start and source). */
export async function caseTenure(db: Db, c: ScopedCase) {
  const id = await tenureOfCase(db, c);
  if (!id) return null;
  const [row] = await db.select({ id: numberTenures.id, carrierId: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.id, id));
  return row ?? null;
}
