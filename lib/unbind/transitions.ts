import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { queryRows, type DbOrTx as Tx } from "@/db";
import { outbox, unbindBatches, unbindEvents, unbindItems, type UnbindStatus } from "@/db/schema";
import { FINAL_STATUSES, movesForward, STATUS_RANK } from "./status";

export interface Transition {
  to: UnbindStatus;
  at: Date;
  reason?: string | null;
  effectiveAt?: Date | null;
}

/**
 * Moves an item forward (never backwards) and writes the timeline entry. Returns false when the
 * move would go backwards or sideways (a late or duplicate message), leaving everything unchanged.
 * The item row is locked for the check, so concurrent callbacks apply one at a time.
 */
export async function advanceItem(tx: Tx, itemId: string, change: Transition): Promise<boolean> {
  const [item] = await tx
    .select({ status: unbindItems.status, batchId: unbindItems.batchId })
    .from(unbindItems)
    .where(eq(unbindItems.id, itemId))
    .for("update");
  if (!item || !movesForward(item.status, change.to)) return false;
  await tx
    .update(unbindItems)
    .set({ status: change.to, reason: change.reason ?? null, effectiveAt: change.effectiveAt ?? null, updatedAt: change.at })
    .where(eq(unbindItems.id, itemId));
  await tx.insert(unbindEvents).values({ itemId, status: change.to, at: change.at, reason: change.reason ?? null });
  if (FINAL_STATUSES.includes(change.to)) await completeBatchIfDone(tx, item.batchId, change.at);
  return true;
}

/**
 * When every item of a batch has its answer, the batch is complete and one SMS to the owner is
 * queued in the same transaction (outbox kind owner_sms, keyed by the batch id so it is queued once).
 */
export async function completeBatchIfDone(tx: Tx, batchId: string, now: Date): Promise<boolean> {
  // Two items answered at once: without this lock each transaction would see the other's item
  // still open and neither would complete the batch. With it, the second waits and then sees both.
  await tx.select({ id: unbindBatches.id }).from(unbindBatches).where(eq(unbindBatches.id, batchId)).for("update");
  const open = await tx
    .select({ id: unbindItems.id })
    .from(unbindItems)
    .where(and(eq(unbindItems.batchId, batchId), notInArray(unbindItems.status, [...FINAL_STATUSES])))
    .limit(1);
  if (open.length > 0) return false;
  const done = await tx
    .update(unbindBatches)
    // A batch completing again after customer service re-sent an item (lib/unbind/resend.ts) keeps
    // its first notification: the owner_sms row below exists already, so no second "complete" SMS.
    .set({ completedAt: now, notifiedAt: sql`coalesce(${unbindBatches.notifiedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(unbindBatches.id, batchId), isNull(unbindBatches.completedAt)))
    .returning({ id: unbindBatches.id });
  if (done.length === 0) return false;
  await tx
    .insert(outbox)
    .values({ kind: "owner_sms", messageId: batchId, platformId: null, nextAttemptAt: now, createdAt: now })
    .onConflictDoNothing();
  return true;
}

/** Items that are final count per status, for the completion SMS and the batch list. */
export async function batchCounts(db: Tx, batchId: string): Promise<Record<UnbindStatus, number>> {
  const rows = await db.select({ status: unbindItems.status }).from(unbindItems).where(eq(unbindItems.batchId, batchId));
  const counts = { queued: 0, sent: 0, accepted: 0, unbound: 0, scheduled: 0, rejected: 0, needs_owner_action: 0, failed: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

/**
 * Moves many items at once to one status that is not final (`sent`, `accepted`), each only
 * forward, with their timeline entries: one statement, for the outbox's batches. A final status
 * may complete a batch, so those go through `advanceItem` one at a time. Returns the ids moved.
 */
export async function advanceItems(tx: Tx, itemIds: readonly string[], change: { to: UnbindStatus; at: Date }): Promise<string[]> {
  if (FINAL_STATUSES.includes(change.to)) throw new Error(`advanceItems: ${change.to} is final; use advanceItem`);
  if (itemIds.length === 0) return [];
  const below = (Object.keys(STATUS_RANK) as UnbindStatus[]).filter((s) => STATUS_RANK[s] < STATUS_RANK[change.to]);
  const at = change.at.toISOString();
  // The update locks each row and re-checks its status, so a callback that moved an item further
  // meanwhile wins and the item is left alone.
  const moved = await queryRows<{ item_id: string }>(
    tx,
    sql`with moved as (
          update ${unbindItems} set status = ${change.to}::unbind_status, reason = null, effective_at = null, updated_at = ${at}::timestamptz
          where id in (${sql.join(itemIds.map((id) => sql`${id}::uuid`), sql`, `)})
            and status in (${sql.join(below.map((s) => sql`${s}::unbind_status`), sql`, `)})
          returning id)
        insert into ${unbindEvents} (item_id, status, at) select id, ${change.to}::unbind_status, ${at}::timestamptz from moved
        returning item_id`,
  );
  return moved.map((r) => r.item_id);
}

/** `batchCounts` for several batches in one query. */
export async function countsByBatch(db: Tx, batchIds: readonly string[]): Promise<Map<string, Record<UnbindStatus, number>>> {
  const counts = new Map(batchIds.map((id) => [id, { queued: 0, sent: 0, accepted: 0, unbound: 0, scheduled: 0, rejected: 0, needs_owner_action: 0, failed: 0 }]));
  if (batchIds.length === 0) return counts;
  const rows = await db
    .select({ batchId: unbindItems.batchId, status: unbindItems.status, n: sql<number>`count(*)::int` })
    .from(unbindItems)
    .where(inArray(unbindItems.batchId, [...batchIds]))
    .groupBy(unbindItems.batchId, unbindItems.status);
  for (const r of rows) counts.get(r.batchId)![r.status] = Number(r.n);
  return counts;
}
