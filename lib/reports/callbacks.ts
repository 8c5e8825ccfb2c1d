import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { platforms, reports } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { receiveCallback, type CallbackInput, type CallbackResponse } from "@/lib/platforms/callback";
import { advanceReport, sendToAgents } from "./status";

/** `POST /api/partner/v1/report-results`: a platform tells us what it did about a report. */
const reportResultSchema = z.object({
  reportId: z.uuid(),
  status: z.enum(["acknowledged", "contact_stopped", "disputed"]),
  note: z.string().trim().min(1).max(500).optional(),
});

/**
 * acknowledged → the owner sees "the sender acknowledged"; contact_stopped → resolved; disputed
 * (the platform says the contact was legitimate, or cannot act) → the carrier's agents review it.
 * Signed by the platform the report went to, idempotent on webhook-id, never moving a report back.
 */
export function handleReportResult(db: Db, input: CallbackInput): Promise<CallbackResponse> {
  return receiveCallback(db, input, {
    schema: reportResultSchema,
    unknown: "unknown_report",
    find: async (result) => {
      const [report] = await db
        .select({ id: reports.id, ownerId: reports.ownerId, carrierId: reports.carrierId, platformId: platforms.id })
        .from(reports)
        .innerJoin(platforms, eq(platforms.id, reports.platformId))
        .where(eq(reports.id, result.reportId));
      return report;
    },
    apply: async (tx, result, report) => {
      const note = result.note ?? null;
      const applied =
        result.status === "acknowledged"
          ? await advanceReport(tx, report.id, { to: "acknowledged", at: input.now, note })
          : result.status === "contact_stopped"
            ? await advanceReport(tx, report.id, { to: "resolved", at: input.now, reason: "contact_stopped", note })
            : await sendToAgents(tx, report, { at: input.now, reason: "disputed", note });
      await recordAudit(tx, {
        actorType: "platform",
        actorId: report.platformId,
        action: applied ? "report.result" : "report.result_ignored",
        subjectType: "report",
        subjectId: report.id,
        metadata: { status: result.status },
      });
      return { status: 200, body: applied ? { ok: true } : { ok: true, ignored: "not_forward" } };
    },
  });
}
