import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { outbox, owners, unbindBatches, unbindEvents, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { needsReverification } from "@/lib/otp/service";
import { openTenure } from "@/lib/tenure";
import { canAsk, platformStates } from "./platform-state";

export type CreateBatchResult =
  | { ok: true; batchId: string; existing: boolean }
  | { ok: false; error: "reverify" | "no_tenure" | "nothing_selected" | "not_eligible" };

/**
 * The platforms the owner may ask to unbind: those whose latest answer in the current tenure was
 * "bound before your tenure", leaving out any with a request in flight or already answered
 * (unbound, scheduled, "act in our app"); a declined or undelivered one may be asked again
 * (`canAsk`, lib/unbind/platform-state.ts).
 */
export async function eligiblePlatforms(db: DbOrTx, ownerId: string, tenureId: string): Promise<string[]> {
  const states = await platformStates(db, ownerId, tenureId);
  return [...states.values()].filter(canAsk).map((s) => s.platformId);
}

/**
 * One batch request: the batch, an item per platform, each item's first timeline entry and one
 * outbox row per item are written in ONE transaction. Nothing is sent here; a dispatcher delivers
 * the outbox (the caller may kick it after commit). Sending the same selection again while a batch
 * for it is open returns that batch instead of a duplicate.
 */
export async function createBatch(
  db: Db,
  input: { ownerId: string; number: string; platformIds: string[]; now: Date; locale?: "zh-CN" | "en" },
): Promise<CreateBatchResult> {
  const selected = [...new Set(input.platformIds)].sort();
  if (selected.length === 0) return { ok: false, error: "nothing_selected" };
  const [owner] = await db.select({ lastVerifiedAt: owners.lastVerifiedAt }).from(owners).where(eq(owners.id, input.ownerId));
  if (!owner || needsReverification(owner.lastVerifiedAt ?? undefined, input.now)) return { ok: false, error: "reverify" };
  const tenure = await openTenure(db, input.number);
  if (!tenure) return { ok: false, error: "no_tenure" };
  const selection = selected.join(",");

  return db.transaction(async (tx): Promise<CreateBatchResult> => {
    // One owner's batches are created one at a time, so two posts at once cannot both pass the
    // eligibility check below and ask one platform twice.
    await tx.select({ id: owners.id }).from(owners).where(eq(owners.id, input.ownerId)).for("update");
    // A second click on the same selection returns the batch the first one opened.
    const [open] = await tx
      .select({ id: unbindBatches.id })
      .from(unbindBatches)
      .where(and(eq(unbindBatches.ownerId, input.ownerId), eq(unbindBatches.selection, selection), isNull(unbindBatches.completedAt)));
    if (open) return { ok: true, batchId: open.id, existing: true };
    // Checked on the server whatever the form sent: a platform with a request in flight, or one
    // already unbound or scheduled, refuses the whole post and nothing is written.
    const eligible = new Set(await eligiblePlatforms(tx, input.ownerId, tenure.id));
    if (!selected.every((id) => eligible.has(id))) return { ok: false, error: "not_eligible" };
    const [batch] = await tx
      .insert(unbindBatches)
      .values({ ownerId: input.ownerId, tenureId: tenure.id, selection, createdAt: input.now, verifiedAt: owner.lastVerifiedAt!, locale: input.locale ?? "zh-CN" })
      .onConflictDoNothing()
      .returning({ id: unbindBatches.id });
    if (!batch) {
      const [again] = await tx
        .select({ id: unbindBatches.id })
        .from(unbindBatches)
        .where(and(eq(unbindBatches.ownerId, input.ownerId), eq(unbindBatches.selection, selection), isNull(unbindBatches.completedAt)));
      return { ok: true as const, batchId: again!.id, existing: true };
    }
    const items = await tx
      .insert(unbindItems)
      .values(selected.map((platformId) => ({ batchId: batch.id, platformId, status: "queued" as const, updatedAt: input.now })))
      .returning({ id: unbindItems.id, platformId: unbindItems.platformId });
    await tx.insert(unbindEvents).values(items.map((item) => ({ itemId: item.id, status: "queued" as const, at: input.now })));
    await tx.insert(outbox).values(
      items.map((item) => ({ kind: "unbind_request" as const, messageId: item.id, platformId: item.platformId, nextAttemptAt: input.now, createdAt: input.now })),
    );
    await recordAudit(tx, { actorType: "owner", actorId: input.ownerId, action: "unbind.requested", subjectType: "unbind_batch", subjectId: batch.id, metadata: { platforms: items.length } });
    return { ok: true as const, batchId: batch.id, existing: false };
  });
}

export interface BatchView {
  id: string;
  createdAt: Date;
  completedAt: Date | null;
  items: {
    id: string;
    platformId: string;
    status: (typeof unbindItems.$inferSelect)["status"];
    effectiveAt: Date | null;
    reason: string | null;
    updatedAt: Date;
    events: { status: (typeof unbindItems.$inferSelect)["status"]; at: Date; reason: string | null }[];
  }[];
}

/** An owner's own batch with every item's timeline; null for anyone else's. */
export async function ownerBatch(db: Db, ownerId: string, batchId: string): Promise<BatchView | null> {
  const [batch] = await db
    .select({ id: unbindBatches.id, createdAt: unbindBatches.createdAt, completedAt: unbindBatches.completedAt })
    .from(unbindBatches)
    .where(and(eq(unbindBatches.id, batchId), eq(unbindBatches.ownerId, ownerId)));
  if (!batch) return null;
  const items = await db.select().from(unbindItems).where(eq(unbindItems.batchId, batchId));
  const events = items.length
    ? await db.select().from(unbindEvents).where(inArray(unbindEvents.itemId, items.map((i) => i.id))).orderBy(unbindEvents.at, unbindEvents.id)
    : [];
  return {
    ...batch,
    items: items.map((item) => ({
      id: item.id,
      platformId: item.platformId,
      status: item.status,
      effectiveAt: item.effectiveAt,
      reason: item.reason,
      updatedAt: item.updatedAt,
      events: events.filter((e) => e.itemId === item.id).map((e) => ({ status: e.status, at: e.at, reason: e.reason })),
    })),
  };
}

/** The owner's batches in the current tenure, newest first, with counts per status. */
export async function ownerBatches(db: Db, ownerId: string, tenureId: string) {
  const batches = await db
    .select({ id: unbindBatches.id, createdAt: unbindBatches.createdAt, completedAt: unbindBatches.completedAt })
    .from(unbindBatches)
    .where(and(eq(unbindBatches.ownerId, ownerId), eq(unbindBatches.tenureId, tenureId)))
    .orderBy(desc(unbindBatches.createdAt));
  if (batches.length === 0) return [];
  const items = await db
    .select({ batchId: unbindItems.batchId, status: unbindItems.status })
    .from(unbindItems)
    .where(inArray(unbindItems.batchId, batches.map((b) => b.id)));
  return batches.map((b) => {
    const mine = items.filter((i) => i.batchId === b.id);
    const counts: Record<string, number> = {};
    for (const i of mine) counts[i.status] = (counts[i.status] ?? 0) + 1;
    return { ...b, total: mine.length, counts };
  });
}
