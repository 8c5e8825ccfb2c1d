import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { outbox } from "@/db/schema";

export type RearmResult = "rearmed" | "in_flight" | "missing";

/**
 * Customer service sends a message again under the SAME message id (the platform's idempotency
 * key, `webhook-id`): the existing row becomes pending, due now, with a fresh retry budget. The
 * attempts already spent move to `earlier_attempts`, so the total stays visible
 * (`earlier_attempts + attempts`). A row still pending is in flight and left alone; there is no
 * second row (`message_id` is unique). Call inside the caller's transaction; kick the dispatcher
 * after commit.
 */
export async function rearmOutbox(tx: DbOrTx, messageId: string, at: Date): Promise<RearmResult> {
  const [row] = await tx.select({ id: outbox.id, status: outbox.status }).from(outbox).where(eq(outbox.messageId, messageId)).for("update");
  if (!row) return "missing";
  if (row.status === "pending") return "in_flight";
  await tx
    .update(outbox)
    .set({
      status: "pending",
      earlierAttempts: sql`${outbox.earlierAttempts} + ${outbox.attempts}`,
      attempts: 0,
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: null,
      deliveredAt: null,
    })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, row.status)));
  return "rearmed";
}

/** Every attempt a message had, over all its rounds: what pages show. */
export const totalAttempts = sql<number>`(${outbox.earlierAttempts} + ${outbox.attempts})`;
