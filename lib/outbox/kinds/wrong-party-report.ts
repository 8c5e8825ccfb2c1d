import { eq, inArray } from "drizzle-orm";
import { numberTenures, owners, platforms, reports } from "@/db/schema";
import { partnerColumns } from "@/lib/platforms/lookup";
import { forwardedCopy } from "@/lib/reports/forwarded";
import { openField } from "@/lib/reports/sealed";
import { advanceReport, sendToAgents } from "@/lib/reports/status";
import { postToPlatform, type PlatformDeps } from "../platform";
import { defineKind } from "../types";

/**
 * `wrong_party_report`: `POST {platform}/wrong-party-reports`, signed, with `webhook-id` = reportId.
 * The text and sender leave redacted, never as the owner typed them; a repeat names the report it
 * repeats (`repeatOf`). A 2xx marks the report
 * forwarded; a platform that is gone, refuses it or cannot be reached after every retry hands the
 * report to the carrier's agents instead. A report erased or closed before it went out is dropped.
 */
export const wrongPartyReport = defineKind({
  missing: "missing_report",
  async load(db, rows) {
    const found = await db
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
        repeatOf: reports.repeatOf,
        number: owners.number,
        tenureStart: numberTenures.startedAt,
        platform: partnerColumns,
      })
      .from(reports)
      .innerJoin(owners, eq(owners.id, reports.ownerId))
      .innerJoin(numberTenures, eq(numberTenures.id, reports.tenureId))
      .innerJoin(platforms, eq(platforms.id, reports.platformId))
      .where(inArray(reports.id, rows.map((r) => r.messageId)));
    return new Map(found.map((ctx) => [ctx.id, ctx]));
  },
  obsolete: (ctx) => (ctx.status === "closed" || ctx.status === "resolved" ? "report_closed" : null),
  platformStatus: (ctx) => ctx.platform.status,
  async send({ row, ctx }, deps: PlatformDeps) {
    // The one function the owner's preview uses too (lib/reports/forwarded.ts): what they saw is what is sent.
    const { text, sender } = forwardedCopy({ text: openField(ctx.id, "text", ctx.textEnc), sender: ctx.senderEnc ? openField(ctx.id, "sender", ctx.senderEnc) : undefined });
    return postToPlatform(
      ctx.platform,
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
        // "It happened again": our earlier report it repeats (also sent to this platform, or to customer service).
        ...(ctx.repeatOf ? { repeatOf: ctx.repeatOf } : {}),
      },
      { id: ctx.id, attempts: row.attempts, deps },
    );
  },
  async delivered(tx, deliveries, now) {
    for (const { ctx } of deliveries) await advanceReport(tx, ctx.id, { to: "forwarded", at: now });
  },
  async failed(tx, { ctx }, { reason, now }) {
    await sendToAgents(tx, ctx, { at: now, reason: "delivery_failed", detail: reason });
  },
});
