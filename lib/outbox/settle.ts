import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { outbox, platforms, type OutboxRow } from "@/db/schema";
import { systemClock } from "@/lib/clock";
import { retryDelayMs } from "./retry";
import type { AnyKindHandler, Delivery, OutboxDeps, Outcome } from "./types";

/** A paused platform's messages are looked at again this much later, without spending a retry. */
export const PAUSED_HOLD_MS = 5 * 60_000;

/** How a claimed row ends this attempt. */
export type Settlement =
  | { to: "delivered"; delivery: Delivery<unknown>; handler: AnyKindHandler<never> }
  | { to: "retry"; row: OutboxRow; label: string; retryAfterSeconds?: number }
  | { to: "hold"; row: OutboxRow }
  | {
      to: "dead";
      row: OutboxRow;
      reason: string;
      /** A 410: the platform is disabled in the same transaction. */
      disablePlatform?: boolean;
      /** Giving up (rather than dropping a message that is gone): the kind's `failed` runs. */
      giveUp?: { delivery: Delivery<unknown>; handler: AnyKindHandler<never>; gone: boolean };
    };

export const outcomeOf = (s: Settlement): Outcome => (s.to === "delivered" ? "delivered" : s.to === "dead" ? "failed" : "retrying");

const logFailure = (what: string, error: unknown) =>
  // By code only: a database error's parameters carry owner numbers.
  console.error(`[outbox] ${what} failed:`, (error as { code?: string })?.code ?? (error as Error)?.name);

/**
 * Settles rows in batches: every settlement handed in while a batch is being written waits for
 * the next one, so a busy dispatcher writes a few statements per batch rather than per row. Only
 * the holder of a row's current lease settles it (the `locked_until` it claimed must still be on
 * the row): a dispatcher whose lease ran out changes nothing, and the row is delivered again
 * under the same webhook-id (at least once).
 */
export function createSettler(deps: OutboxDeps) {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  let queue: { settlement: Settlement; done: () => void }[] = [];
  let running = false;

  async function run() {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await writeBatch(batch.map((b) => b.settlement)).catch((error: unknown) => logFailure("settling", error));
      for (const b of batch) b.done();
    }
    running = false;
  }

  async function writeBatch(batch: Settlement[]) {
    const now = clock.now();
    const delivered = new Map<AnyKindHandler<never>, Extract<Settlement, { to: "delivered" }>[]>();
    const rescheduled: Extract<Settlement, { to: "retry" | "hold" }>[] = [];
    const dead: Extract<Settlement, { to: "dead" }>[] = [];
    for (const s of batch) {
      if (s.to === "delivered") delivered.set(s.handler, [...(delivered.get(s.handler) ?? []), s]);
      else if (s.to === "dead") dead.push(s);
      else rescheduled.push(s);
    }
    await Promise.all([
      ...[...delivered.values()].map((group) =>
        settleDelivered(deps.db, group, now).catch(async () => {
          // One bad row must not keep the others from settling: one at a time, then give up (the
          // lease runs out and the rows are sent again).
          for (const s of group) await settleDelivered(deps.db, [s], now).catch((error: unknown) => logFailure("settling a delivery", error));
        }),
      ),
      rescheduled.length > 0 ? reschedule(deps.db, rescheduled, now, random, deps.retryScale ?? 1).catch((error: unknown) => logFailure("rescheduling", error)) : undefined,
      ...dead.map((s) => settleDead(deps.db, s, now).catch((error: unknown) => logFailure("settling a failure", error))),
    ]);
  }

  return {
    /** Resolves once the settlement is written (or could not be: the lease then runs out). */
    add(settlement: Settlement): Promise<void> {
      return new Promise<void>((resolve) => {
        queue.push({ settlement, done: resolve });
        if (!running) {
          running = true;
          // Let the answers that arrive in the same turn join the batch.
          setImmediate(() => void run());
        }
      });
    },
  };
}

/** The rows of `rows` this dispatcher still holds, as (id, locked_until) pairs for a join. */
const held = (rows: OutboxRow[]) => JSON.stringify(rows.map((r) => ({ id: r.id, locked: r.lockedUntil?.toISOString() ?? null })));

async function settleDelivered(db: Db, group: Extract<Settlement, { to: "delivered" }>[], now: Date) {
  const handler = group[0]!.handler;
  await db.transaction(async (tx) => {
    const settled = await queryRows<{ id: string | number }>(
      tx,
      sql`update ${outbox} as o set status = 'delivered', delivered_at = ${now.toISOString()}::timestamptz, last_error = null, locked_until = null
          from jsonb_to_recordset(${held(group.map((s) => s.delivery.row))}::jsonb) as v(id bigint, locked timestamptz)
          where o.id = v.id and o.locked_until = v.locked and o.status = 'pending'
          returning o.id`,
    );
    const ids = new Set(settled.map((r) => Number(r.id)));
    const mine = group.filter((s) => ids.has(s.delivery.row.id)).map((s) => s.delivery);
    if (mine.length > 0) await handler.delivered?.(tx, mine, now);
  });
}

/** Retries (at the schedule's next step) and paused platforms' holds: one statement for all. */
async function reschedule(db: Db, batch: Extract<Settlement, { to: "retry" | "hold" }>[], now: Date, random: () => number, scale: number) {
  const values = batch.map((s) =>
    s.to === "hold"
      ? { id: s.row.id, locked: s.row.lockedUntil?.toISOString() ?? null, next: new Date(now.getTime() + PAUSED_HOLD_MS).toISOString(), label: "platform_paused", attempts: s.row.attempts - 1 }
      : { id: s.row.id, locked: s.row.lockedUntil?.toISOString() ?? null, next: new Date(now.getTime() + Math.round(scale * retryDelayMs(s.row.attempts, random, s.retryAfterSeconds))).toISOString(), label: s.label, attempts: null },
  );
  await db.execute(
    sql`update ${outbox} as o set next_attempt_at = v.next, last_error = v.label, locked_until = null, attempts = coalesce(v.attempts, o.attempts)
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id bigint, locked timestamptz, next timestamptz, label text, attempts int)
        where o.id = v.id and o.locked_until = v.locked and o.status = 'pending'`,
  );
}

/** A final failure, with what follows from it in the same transaction: rare, so one row at a time. */
async function settleDead(db: Db, s: Extract<Settlement, { to: "dead" }>, now: Date) {
  await db.transaction(async (tx) => {
    const settled = await tx
      .update(outbox)
      .set({ status: "dead", lastError: s.reason, lockedUntil: null })
      .where(and(eq(outbox.id, s.row.id), eq(outbox.lockedUntil, s.row.lockedUntil!), eq(outbox.status, "pending")))
      .returning({ id: outbox.id });
    if (settled.length === 0) return;
    if (s.disablePlatform && s.row.platformId) await tx.update(platforms).set({ status: "disabled" }).where(eq(platforms.id, s.row.platformId));
    if (s.giveUp) await s.giveUp.handler.failed?.(tx, s.giveUp.delivery, { reason: s.reason, gone: s.giveUp.gone, now });
  });
}
