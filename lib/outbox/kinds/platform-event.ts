import { eq, inArray } from "drizzle-orm";
import { platformEvents, platforms } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { partnerColumns } from "@/lib/platforms/lookup";
import { postToPlatform, type PlatformDeps } from "../platform";
import { defineKind, type Tx } from "../types";

/**
 * `platform_event`: `POST {platform}/events` `{type, number, at}`, signed, with `webhook-id` = the
 * event id (one per platform and erasure, so a platform is told once however often it is retried).
 * The type is the event's own (`owner.erased` today; the number lifecycle events later). Once
 * delivered or given up on, the event's number is cleared: an erasure keeps no number after it.
 * A platform that cannot be told after every retry is written to the audit log (by ids only).
 */
export const platformEvent = defineKind({
  missing: "missing_event",
  async load(db, rows) {
    const found = await db
      .select({
        id: platformEvents.id,
        type: platformEvents.type,
        number: platformEvents.number,
        at: platformEvents.at,
        settledAt: platformEvents.settledAt,
        platform: partnerColumns,
      })
      .from(platformEvents)
      .innerJoin(platforms, eq(platforms.id, platformEvents.platformId))
      .where(inArray(platformEvents.id, rows.map((r) => r.messageId)));
    return new Map(found.map((ctx) => [ctx.id, ctx]));
  },
  obsolete: (ctx) => (ctx.number === null || ctx.settledAt ? "event_settled" : null),
  platformStatus: (ctx) => ctx.platform.status,
  async send({ row, ctx }, deps: PlatformDeps) {
    return postToPlatform(ctx.platform, "/events", { type: ctx.type, number: ctx.number, at: ctx.at.toISOString() }, { id: ctx.id, attempts: row.attempts, deps });
  },
  async delivered(tx, deliveries, now) {
    await settle(tx, deliveries.map((d) => d.ctx.id), now);
  },
  async failed(tx, { ctx }, { reason, now }) {
    await settle(tx, [ctx.id], now);
    await recordAudit(tx, {
      actorType: "system",
      action: "platform_event.undelivered",
      subjectType: "platform_event",
      subjectId: ctx.id,
      metadata: { type: ctx.type, platformId: ctx.platform.id, reason },
    });
  },
});

async function settle(tx: Tx, ids: string[], now: Date) {
  if (ids.length > 0) await tx.update(platformEvents).set({ number: null, settledAt: now }).where(inArray(platformEvents.id, ids));
}
