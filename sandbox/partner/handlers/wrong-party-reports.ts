import { randomUUID } from "node:crypto";
import { deliverCallback } from "../callbacks";
import { applyKnobs, reply, type PartnerContext, type PlatformHandler } from "../context";
import { parseJson, sleep } from "../http";
import { DEFAULT_REPORT_STATUSES, DEFAULT_UNBIND_DELAY_MS, REPORT_RESULTS_PATH, reclaimBase, reportRequestSchema, type ReportRequest } from "../protocol";
import type { ReportKnobs } from "../types";

/** `POST /{slug}/wrong-party-reports`: body, then the knobs, then 202 — idempotent on reportId. */
export const wrongPartyReports: PlatformHandler = async (ctx, res, { body, knobs, signer }) => {
  const json = parseJson(body);
  if (!json.ok) return reply(ctx, res, 400, { error: "invalid_json" });
  const parsed = reportRequestSchema.safeParse(json.value);
  if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_body" });
  const report = parsed.data;
  ctx.state.count(report.number, (s) => {
    const seen = s.reports[report.reportId];
    s.reports[report.reportId] = {
      deliveries: (seen?.deliveries ?? 0) + 1,
      category: report.category,
      text: report.text,
      tenureStart: report.tenureStart,
      ...(report.sender ? { sender: report.sender } : {}),
      ...(report.repeatOf ? { repeatOf: report.repeatOf } : {}),
    };
  });
  if (!ctx.callbackUrl) return reply(ctx, res, 503, { error: "unavailable" });
  if (await applyKnobs(ctx, res, knobs)) return;
  if (!ctx.state.acceptedReports.has(report.reportId)) {
    ctx.state.acceptedReports.add(report.reportId);
    scheduleReportCallbacks(ctx, signer.secret, `${reclaimBase(ctx.callbackUrl)}${REPORT_RESULTS_PATH}`, report, knobs.report ?? {});
  }
  return reply(ctx, res, 202, { status: "accepted" }, signer);
};

/**
 * What the platform did about a report, one signed callback per status in the knob's list, each
 * after the delay and under its own webhook-id. Knobs are those of the accepted report.
 */
function scheduleReportCallbacks(ctx: PartnerContext, secret: string, target: string, report: ReportRequest, knobs: ReportKnobs) {
  const { signal, done } = ctx.state.startJob(report.number, report.reportId);
  void (async () => {
    try {
      for (const status of knobs.statuses ?? DEFAULT_REPORT_STATUSES) {
        if (!(await sleep(knobs.delayMs ?? DEFAULT_UNBIND_DELAY_MS, signal))) return;
        const body = JSON.stringify({ reportId: report.reportId, status, ...(knobs.note ? { note: knobs.note } : {}) });
        const taken = await deliverCallback(ctx, target, body, `msg_${randomUUID()}`, secret, signal);
        if (signal.aborted) return;
        ctx.state.count(report.number, (s) => {
          if (!taken) return void s.reportCallbacks.failed++;
          s.reportCallbacks.sent++;
          s.reportCallbacks.statuses[status] = (s.reportCallbacks.statuses[status] ?? 0) + 1;
        });
      }
    } finally {
      done();
    }
  })();
}
