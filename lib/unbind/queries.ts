import "server-only";
import { and, desc, eq, inArray, notExists } from "drizzle-orm";
import type { Db } from "@/db";
import { lookupResults, lookups, unbindBatches, unbindItems, type UnbindStatus } from "@/db/schema";
import { RETRY_DELAYS_MS } from "@/lib/outbox/retry";
import { SILENCE_BEFORE_CASE_MS } from "./silence";

/** The deadlines the batch page explains (`waitingStep` in status.ts): the real ones, not copies. */
export const WAITING_DEADLINES = {
  retryForMs: RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0),
  silenceMs: SILENCE_BEFORE_CASE_MS,
};

export interface BatchListEntry {
  id: string;
  createdAt: Date;
  completedAt: Date | null;
  items: { platformId: string; status: UnbindStatus }[];
}

/** The owner's batches in a tenure, newest first, each with its platforms and their statuses (two queries). */
export async function ownerBatchList(db: Db, ownerId: string, tenureId: string): Promise<BatchListEntry[]> {
  const batches = await db
    .select({ id: unbindBatches.id, createdAt: unbindBatches.createdAt, completedAt: unbindBatches.completedAt })
    .from(unbindBatches)
    .where(and(eq(unbindBatches.ownerId, ownerId), eq(unbindBatches.tenureId, tenureId)))
    .orderBy(desc(unbindBatches.createdAt), desc(unbindBatches.id));
  if (batches.length === 0) return [];
  const items = await db
    .select({ batchId: unbindItems.batchId, platformId: unbindItems.platformId, status: unbindItems.status })
    .from(unbindItems)
    .where(inArray(unbindItems.batchId, batches.map((b) => b.id)));
  const byBatch = new Map(batches.map((b) => [b.id, [] as BatchListEntry["items"]]));
  for (const { batchId, ...item } of items) byBatch.get(batchId)!.push(item);
  return batches.map((b) => ({ ...b, items: byBatch.get(b.id)! }));
}

/**
 * The platforms that the latest look-up of the tenure found bound before it and that no batch of
 * the owner's in this tenure has asked: the ones an owner left out (unticked) or that turned up in a
 * later look-up. A platform asked before, whatever its answer, is followed on its own batch's page.
 */
export async function notRequestedPlatforms(db: Db, ownerId: string, tenureId: string): Promise<string[]> {
  const [latest] = await db
    .select({ id: lookups.id })
    .from(lookups)
    .where(and(eq(lookups.ownerId, ownerId), eq(lookups.tenureId, tenureId)))
    .orderBy(desc(lookups.startedAt))
    .limit(1);
  if (!latest) return [];
  const rows = await db
    .select({ platformId: lookupResults.platformId })
    .from(lookupResults)
    .where(
      and(
        eq(lookupResults.lookupId, latest.id),
        eq(lookupResults.status, "bound_before_tenure"),
        notExists(
          db
            .select({ id: unbindItems.id })
            .from(unbindItems)
            .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
            .where(and(eq(unbindItems.platformId, lookupResults.platformId), eq(unbindBatches.ownerId, ownerId), eq(unbindBatches.tenureId, tenureId))),
        ),
      ),
    );
  return rows.map((r) => r.platformId);
}
