import type { OutboxRow } from "@/db/schema";
import { systemClock } from "@/lib/clock";
import { claimDue } from "./claim";
import type { Verdict } from "./retry";
import { createSettler, outcomeOf, type Settlement } from "./settle";
import { DEFAULT_TIMEOUT_MS, emptySummary, type AnyKindHandler, type Delivery, type DispatchSummary, type OutboxDeps, type OutboxRegistry, type Outcome } from "./types";

/**
 * The outbox engine: claims due rows (lib/outbox/claim.ts), hands each to its kind's handler,
 * judges the attempt and settles it (lib/outbox/settle.ts). It knows no domain: the kinds are
 * given to it (lib/outbox/kinds/index.ts lists them).
 *
 * Delivery is at least once. A dispatcher that dies mid-send leaves a lease that expires, and the
 * row is sent again under the same webhook-id (the platform's idempotency key). Any number of
 * dispatchers may run at once: claims never overlap.
 */
/** After a claim came back short, the next one waits for this (or for every row in flight to settle). */
const RECLAIM_AFTER_SHORT_MS = 250;

const logFailure = (error: unknown) =>
  // Our own failure (e.g. the database): logged by kind only, and the row retried soon.
  console.error("[outbox] delivery failed:", (error as { code?: string })?.code ?? (error as Error)?.name);

export interface Dispatcher<D extends OutboxDeps> {
  /** Claims up to `limit` due rows, delivers them all at once and settles them. */
  dispatchOnce(deps: D, options?: { limit?: number }): Promise<DispatchSummary>;
  /**
   * Delivers until nothing is due or `budgetMs` is spent, keeping up to `concurrency` rows in
   * flight: rows settle as each finishes, and more are claimed while others are still out, so a
   * slow platform holds only its own rows.
   */
  drain(deps: D, options?: { budgetMs?: number; concurrency?: number }): Promise<DispatchSummary & { claims: number }>;
}

export function createDispatcher<D extends OutboxDeps>(kinds: OutboxRegistry<D>): Dispatcher<D> {
  const leaseOf = (deps: D) => deps.leaseMs ?? (deps.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 20_000;

  /**
   * Starts every row's delivery; each promise resolves once that row is settled. `attempted` is
   * called as each row's attempt is over and its settlement queued.
   */
  function start(deps: D, rows: OutboxRow[], settler: ReturnType<typeof createSettler>, attempted: () => void = () => {}): Promise<Outcome>[] {
    const byKind = new Map<OutboxRow["kind"], OutboxRow[]>();
    for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row]);
    const settle = (s: Settlement) => {
      const written = settler.add(s).then(() => outcomeOf(s));
      attempted();
      return written;
    };
    return [...byKind].flatMap(([kind, group]) => startKind(deps, kinds[kind], group, settle));
  }

  function startKind(deps: D, handler: AnyKindHandler<D> | undefined, rows: OutboxRow[], settle: (s: Settlement) => Promise<Outcome>): Promise<Outcome>[] {
    const internal = (row: OutboxRow) => (error: unknown) => {
      logFailure(error);
      return settle({ to: "retry", row, label: "internal_error" });
    };
    if (!handler) return rows.map((row) => settle({ to: "dead", row, reason: "unknown_kind" }));
    const clock = deps.clock ?? systemClock;

    // One query for the whole group's context; then what can be decided without sending.
    const prepared = handler.load(deps.db, rows).then(async (contexts) => {
      const decided = new Map<number, Settlement>();
      const sendable = new Map<number, Delivery<unknown>>();
      for (const row of rows) {
        const ctx = contexts.get(row.messageId);
        if (ctx === undefined) {
          decided.set(row.id, { to: "dead", row, reason: handler.missing });
          continue;
        }
        const obsolete = handler.obsolete?.(ctx) ?? null;
        const platform = handler.platformStatus?.(ctx) ?? "active";
        if (obsolete) decided.set(row.id, { to: "dead", row, reason: obsolete });
        else if (platform === "disabled") decided.set(row.id, { to: "dead", row, reason: "endpoint_gone", giveUp: { delivery: { row, ctx }, handler, gone: true } });
        // An operator paused the platform: held without spending a retry.
        else if (platform === "paused") decided.set(row.id, { to: "hold", row });
        else sendable.set(row.id, { row, ctx });
      }
      if (sendable.size > 0) await handler.beforeSend?.(deps.db, [...sendable.values()], clock.now());
      return { decided, sendable };
    });

    return rows.map((row) =>
      prepared.then(({ decided, sendable }) => {
        const decision = decided.get(row.id);
        if (decision) return settle(decision);
        const delivery = sendable.get(row.id)!;
        return handler.send(delivery, deps).then((verdict) => settle(settlementOf(verdict, delivery, handler)), internal(row));
      }, internal(row)),
    );
  }

  return {
    async dispatchOnce(deps, { limit = 32 } = {}) {
      const clock = deps.clock ?? systemClock;
      const rows = await claimDue(deps.db, clock.now(), { limit, leaseMs: leaseOf(deps) });
      const outcomes = await Promise.all(start(deps, rows, createSettler(deps)));
      const summary = emptySummary();
      summary.claimed = rows.length;
      for (const outcome of outcomes) summary[outcome]++;
      return summary;
    },

    async drain(deps, { budgetMs = 50_000, concurrency = 32 } = {}) {
      const clock = deps.clock ?? systemClock;
      const settler = createSettler(deps);
      const summary = { ...emptySummary(), claims: 0 };
      const started = performance.now();
      const lowWater = Math.max(1, Math.floor(concurrency / 2));
      // Rows being attempted, and rows claimed but not yet settled (attempted rows wait for the
      // next settling batch). A claim needs few of the first and a bounded number of the second.
      let attempting = 0;
      let unsettled = 0;
      let shortClaimAt = -Infinity;
      let wake: (() => void) | null = null;
      const woken = () => {
        const w = wake;
        wake = null;
        w?.();
      };

      for (;;) {
        const timeUp = performance.now() - started >= budgetMs;
        const sinceShort = performance.now() - shortClaimAt;
        const roomy = attempting <= lowWater && unsettled <= concurrency;
        if (!timeUp && roomy && (unsettled === 0 || sinceShort >= RECLAIM_AFTER_SHORT_MS)) {
          const wanted = concurrency - attempting;
          const rows = await claimDue(deps.db, clock.now(), { limit: wanted, leaseMs: leaseOf(deps) });
          summary.claims++;
          summary.claimed += rows.length;
          if (rows.length < wanted) shortClaimAt = performance.now();
          const attempted = () => {
            attempting--;
            woken();
          };
          for (const pending of start(deps, rows, settler, attempted)) {
            attempting++;
            unsettled++;
            void pending.then((outcome) => {
              summary[outcome]++;
              unsettled--;
              woken();
            });
          }
          if (unsettled === 0) break;
          if (rows.length > 0) continue;
        }
        if (unsettled === 0) break;
        // Wait for an attempt to end or a row to settle, or (with room) for the next claim to be allowed.
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (roomy && !timeUp) {
            const timer = setTimeout(woken, Math.max(1, RECLAIM_AFTER_SHORT_MS - (performance.now() - shortClaimAt)));
            timer.unref?.();
          }
        });
      }
      return summary;
    },
  };
}

function settlementOf(verdict: Verdict, delivery: Delivery<unknown>, handler: AnyKindHandler<never>): Settlement {
  const { row } = delivery;
  switch (verdict.kind) {
    case "accepted":
      return { to: "delivered", delivery, handler };
    case "gone":
      return { to: "dead", row, reason: "endpoint_gone", disablePlatform: true, giveUp: { delivery, handler, gone: true } };
    case "final":
      return { to: "dead", row, reason: verdict.label, giveUp: { delivery, handler, gone: false } };
    case "retry":
      return { to: "retry", row, label: verdict.label, retryAfterSeconds: verdict.retryAfterSeconds };
  }
}
