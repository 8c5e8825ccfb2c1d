import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { outbox, type OutboxRow } from "@/db/schema";

/**
 * Claims up to `limit` due rows in one statement: `FOR UPDATE SKIP LOCKED` so that concurrent
 * dispatchers take disjoint rows, and a lease (`locked_until`) so that a row whose dispatcher died
 * is claimed again once the lease has run out. The attempt is counted here.
 */
export async function claimDue(db: Db, now: Date, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  if (limit <= 0) return [];
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(outbox)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}
