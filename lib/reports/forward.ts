import { eq } from "drizzle-orm";
import { numberTenures, owners, platforms, reports, type OutboxRow } from "@/db/schema";
import { systemClock } from "@/lib/clock";
import { callPartner } from "@/lib/platforms/client";
import { partnerColumns, partnerEndpoint } from "@/lib/platforms/lookup";
import { holdWhilePaused, scheduleRetry, settle, verdictOf, type DispatchDeps, type Outcome } from "@/lib/unbind/outbox";
import { redactText } from "./redact";
import { openField } from "./sealed";
import { advanceReport, sendToAgents } from "./status";

/**
 * Delivers one wrong-party report to the platform it names: `POST {platform}/wrong-party-reports`,
 * signed, with `webhook-id` = reportId. The text and sender leave redacted, never as the owner
 * typed them. A 2xx marks the report forwarded; a platform that is gone, refuses it or cannot be
 * reached after every retry hands the report to the carrier's agents instead.
 */
export async function deliverReport(deps: DispatchDeps, row: OutboxRow, timeoutMs: number): Promise<Outcome> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const [ctx] = await db
    .select({
      id: reports.id,
      ownerId: reports.ownerId,
      carrierId: reports.carrierId,
      platformId: reports.platformId,
      status: reports.status,
      category: reports.category,
      channel: reports.channel,
      receivedAt: reports.receivedAt,
      textEnc: reports.textEnc,
      senderEnc: reports.senderEnc,
      number: owners.number,
      tenureStart: numberTenures.startedAt,
      platform: partnerColumns,
    })
    .from(reports)
    .innerJoin(owners, eq(owners.id, reports.ownerId))
    .innerJoin(numberTenures, eq(numberTenures.id, reports.tenureId))
    .innerJoin(platforms, eq(platforms.id, reports.platformId))
    .where(eq(reports.id, row.messageId));
  // Gone (the owner erased it) or closed by the owner before it went out: nothing to send.
  if (!ctx || ctx.status === "closed" || ctx.status === "resolved") {
    await settle(deps, row, { status: "dead", at: clock.now(), reason: ctx ? "report_closed" : "missing_report" });
    return "failed";
  }

  const handOver = async (reason: string, disablePlatform = false) => {
    const now = clock.now();
    await settle(deps, row, { status: "dead", at: now, reason, disablePlatform }, (tx) =>
      sendToAgents(tx, ctx, { at: now, reason: "delivery_failed", detail: reason }),
    );
    return "failed" as const;
  };

  if (ctx.platform.status === "disabled") return handOver("endpoint_gone");
  if (ctx.platform.status === "paused") {
    await holdWhilePaused(deps, row, clock.now());
    return "retrying";
  }

  const text = redactText(openField(ctx.id, "text", ctx.textEnc));
  const sender = ctx.senderEnc ? redactText(openField(ctx.id, "sender", ctx.senderEnc)) : undefined;
  const result = await callPartner(
    partnerEndpoint(ctx.platform, deps.env),
    "/wrong-party-reports",
    {
      reportId: ctx.id,
      number: ctx.number,
      tenureStart: ctx.tenureStart.toISOString(),
      category: ctx.category,
      channel: ctx.channel,
      receivedAt: ctx.receivedAt.toISOString(),
      text,
      ...(sender ? { sender } : {}),
    },
    { id: ctx.id, timeoutMs, policy: deps.policy },
  );
  const now = clock.now();
  const verdict = verdictOf(result, row.attempts);
  if (verdict.kind === "accepted") {
    await settle(deps, row, { status: "delivered", at: now }, (tx) => advanceReport(tx, ctx.id, { to: "forwarded", at: now }));
    return "delivered";
  }
  if (verdict.kind === "gone") return handOver("endpoint_gone", true);
  if (verdict.kind === "final") return handOver(verdict.label);
  await scheduleRetry(deps, row, now, verdict.label, verdict.retryAfterSeconds);
  return "retrying";
}
