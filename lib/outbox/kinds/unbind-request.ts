import { eq, inArray } from "drizzle-orm";
import { numberTenures, owners, platforms, unbindBatches, unbindItems } from "@/db/schema";
import { openCase } from "@/lib/cases/cases";
import { issueAttestation } from "@/lib/platforms/attestation";
import type { SigningKey } from "@/lib/platforms/keys";
import { partnerColumns } from "@/lib/platforms/lookup";
import { advanceItem, advanceItems } from "@/lib/unbind/transitions";
import { postToPlatform, type PlatformDeps } from "../platform";
import { defineKind } from "../types";

export interface UnbindRequestDeps extends PlatformDeps {
  /** Attestation signing keys (default: ATTESTATION_PRIVATE_KEYS). */
  keys?: SigningKey[];
}

/**
 * `unbind_request`: `POST {platform}/unbind` for one unbind item, signed, with an attestation of
 * the owner's tenure; `webhook-id` = requestId = the item id. Sending marks the item `sent`, a 2xx
 * `accepted` (the platform's callback says what became of it). Giving up fails the item and opens
 * an agent case (`endpoint_gone` for a 410 or a disabled platform, else `delivery_failed`).
 */
export const unbindRequest = defineKind({
  missing: "missing_item",
  async load(db, rows) {
    const found = await db
      .select({
        itemId: unbindItems.id,
        ownerId: unbindBatches.ownerId,
        verifiedAt: unbindBatches.verifiedAt,
        number: owners.number,
        tenureStart: numberTenures.startedAt,
        tenureSource: numberTenures.source,
        simChangedAt: numberTenures.simChangedAt,
        carrierId: numberTenures.carrierId,
        platform: partnerColumns,
      })
      .from(unbindItems)
      .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
      .innerJoin(owners, eq(owners.id, unbindBatches.ownerId))
      .innerJoin(numberTenures, eq(numberTenures.id, unbindBatches.tenureId))
      .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
      .where(inArray(unbindItems.id, rows.map((r) => r.messageId)));
    return new Map(found.map((ctx) => [ctx.itemId, ctx]));
  },
  platformStatus: (ctx) => ctx.platform.status,
  async beforeSend(db, deliveries, now) {
    // The owner's timeline says "sent" from the first attempt on (a retry finds it sent already).
    await advanceItems(db, deliveries.map((d) => d.ctx.itemId), { to: "sent", at: now });
  },
  async send({ row, ctx }, deps: UnbindRequestDeps) {
    const { token } = await issueAttestation(
      {
        platform: ctx.platform.slug,
        number: ctx.number,
        tenureStart: ctx.tenureStart,
        tenureSource: ctx.tenureSource,
        otpVerifiedAt: ctx.verifiedAt,
        simChangedAt: ctx.simChangedAt,
      },
      { keys: deps.keys },
    );
    return postToPlatform(
      ctx.platform,
      "/unbind",
      { requestId: ctx.itemId, number: ctx.number, tenureStart: ctx.tenureStart.toISOString(), attestation: token },
      { id: ctx.itemId, attempts: row.attempts, deps },
    );
  },
  async delivered(tx, deliveries, now) {
    await advanceItems(tx, deliveries.map((d) => d.ctx.itemId), { to: "accepted", at: now });
  },
  async failed(tx, { ctx }, { reason, gone, now }) {
    await advanceItem(tx, ctx.itemId, { to: "failed", at: now, reason });
    await openCase(tx, {
      kind: gone ? "endpoint_gone" : "delivery_failed",
      subject: { unbindItemId: ctx.itemId },
      ownerId: ctx.ownerId,
      platformId: ctx.platform.id,
      carrierId: ctx.carrierId,
      number: ctx.number,
      detail: reason,
      at: now,
    });
  },
});
