import { and, eq, lt, notExists } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, numberTenures, unbindBatches, unbindItems } from "@/db/schema";
import { openCase } from "@/lib/cases/cases";

/** A platform that accepted a request and has not answered in this long gets an agent's attention. */
export const SILENCE_BEFORE_CASE_MS = 14 * 24 * 3600_000;

/**
 * Accepted items whose platform never called back would otherwise wait forever: each one older
 * than `afterMs` opens one `no_answer` case (once per item, however the case ended), up to `limit`
 * a run (the dispatcher's housekeeping runs every minute).
 */
export async function openCasesForSilence(db: Db, now: Date, afterMs = SILENCE_BEFORE_CASE_MS, { limit = 200 } = {}): Promise<number> {
  const cutoff = new Date(now.getTime() - afterMs);
  const silent = await db
    .select({ itemId: unbindItems.id, platformId: unbindItems.platformId, ownerId: unbindBatches.ownerId, carrierId: numberTenures.carrierId, number: numberTenures.number })
    .from(unbindItems)
    .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
    .innerJoin(numberTenures, eq(numberTenures.id, unbindBatches.tenureId))
    .where(
      and(
        eq(unbindItems.status, "accepted"),
        lt(unbindItems.updatedAt, cutoff),
        notExists(db.select({ id: agentCases.id }).from(agentCases).where(and(eq(agentCases.unbindItemId, unbindItems.id), eq(agentCases.kind, "no_answer")))),
      ),
    )
    .limit(limit);
  let opened = 0;
  for (const item of silent) {
    const result = await openCase(db, {
      kind: "no_answer",
      subject: { unbindItemId: item.itemId },
      ownerId: item.ownerId,
      platformId: item.platformId,
      carrierId: item.carrierId,
      number: item.number,
      detail: "no_callback",
      at: now,
    });
    if (result.opened) opened++;
  }
  return opened;
}
