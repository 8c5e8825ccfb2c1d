import { and, eq, gt, ne } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { outbox, platforms, unbindBatches, unbindEvents, unbindItems, type UnbindStatus } from "@/db/schema";
import { rearmOutbox } from "@/lib/outbox/rearm";

/** The reason code on the `queued` timeline entry of a re-send: the owner's page says "customer service sent it again". */
export const RESENT_BY_AGENT = "resent_by_agent";

/** Items customer service may send again: not delivered after every retry, or delivered and never answered. */
export const RESENDABLE: readonly UnbindStatus[] = ["failed", "accepted"];

export type ResendResult =
  | { ok: true; batchId: string; platformId: string }
  | { ok: false; error: "not_found" | "not_resendable" | "platform_unavailable" | "superseded" | "in_flight" };

/**
 * Customer service sends an unbind item again: a new attempt through the outbox under the SAME
 * requestId (the item id, the `webhook-id` the platform de-duplicates on; its row re-armed with a
 * fresh retry budget, lib/outbox/rearm.ts). The item goes back to `queued` with a timeline entry
 * saying customer service re-sent it, and its batch is no longer complete while it is out again;
 * when the answer comes the batch completes again without a second "complete" SMS
 * (completeBatchIfDone keeps the first). Refused for an item that is still on its way or already
 * answered, for a disabled platform (its endpoint is gone), and for a platform the owner has asked
 * again in a later batch (that request is the one that counts). Kick the dispatcher after commit.
 */
export async function resendUnbindItem(db: DbOrTx, input: { itemId: string; at: Date }): Promise<ResendResult> {
  return db.transaction(async (tx) => {
    const [item] = await tx
      .select({ id: unbindItems.id, status: unbindItems.status, batchId: unbindItems.batchId, platformId: unbindItems.platformId })
      .from(unbindItems)
      .where(eq(unbindItems.id, input.itemId))
      .for("update");
    if (!item) return { ok: false, error: "not_found" } as const;
    if (!RESENDABLE.includes(item.status)) return { ok: false, error: "not_resendable" } as const;
    const [platform] = await tx.select({ status: platforms.status }).from(platforms).where(eq(platforms.id, item.platformId));
    if (!platform || platform.status === "disabled") return { ok: false, error: "platform_unavailable" } as const;
    const [batch] = await tx
      .select({ ownerId: unbindBatches.ownerId, tenureId: unbindBatches.tenureId, createdAt: unbindBatches.createdAt })
      .from(unbindBatches)
      .where(eq(unbindBatches.id, item.batchId))
      .for("update");
    if (!batch) return { ok: false, error: "not_found" } as const;
    const [later] = await tx
      .select({ id: unbindItems.id })
      .from(unbindItems)
      .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
      .where(
        and(
          eq(unbindItems.platformId, item.platformId),
          eq(unbindBatches.ownerId, batch.ownerId),
          eq(unbindBatches.tenureId, batch.tenureId),
          ne(unbindItems.id, item.id),
          gt(unbindBatches.createdAt, batch.createdAt),
        ),
      )
      .limit(1);
    if (later) return { ok: false, error: "superseded" } as const;

    const rearmed = await rearmOutbox(tx, item.id, input.at);
    if (rearmed === "in_flight") return { ok: false, error: "in_flight" } as const;
    // A row dropped by an operator: the same message id again, as the original request.
    if (rearmed === "missing") {
      await tx.insert(outbox).values({ kind: "unbind_request", messageId: item.id, platformId: item.platformId, nextAttemptAt: input.at, createdAt: input.at });
    }
    // Backwards on purpose (advanceItem only moves forward): this is a new attempt, not a late message.
    await tx.update(unbindItems).set({ status: "queued", reason: null, effectiveAt: null, updatedAt: input.at }).where(eq(unbindItems.id, item.id));
    await tx.insert(unbindEvents).values({ itemId: item.id, status: "queued", at: input.at, reason: RESENT_BY_AGENT });
    await tx.update(unbindBatches).set({ completedAt: null }).where(eq(unbindBatches.id, item.batchId));
    return { ok: true, batchId: item.batchId, platformId: item.platformId } as const;
  });
}
