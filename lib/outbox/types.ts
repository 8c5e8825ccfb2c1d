import type { Db } from "@/db";
import type { OutboxRow } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import type { Verdict } from "./retry";

/** One delivery is abandoned after this unless the deps say otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type OutboxKind = OutboxRow["kind"];
export type PlatformStatus = "active" | "paused" | "disabled";

/** What the engine itself needs; each kind adds its own collaborators (lib/outbox/kinds/index.ts). */
export interface OutboxDeps {
  db: Db;
  clock?: Clock;
  /** One delivery is abandoned after this (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed row is held; must exceed timeoutMs (default timeout + 20 s). */
  leaseMs?: number;
  /** The retry schedule times this (default 1; test runs only shorten it: OUTBOX_RETRY_SCALE). */
  retryScale?: number;
  /** Jitter of the retry schedule (default Math.random). */
  random?: () => number;
}

/** A claimed row with what its kind loaded for it. */
export interface Delivery<C> {
  row: OutboxRow;
  ctx: C;
}

/**
 * One kind of outbox message. The engine claims, leases, retries and settles; the kind says what
 * the message is about and what delivery (or giving up) means for its domain. Adding a kind is
 * one file in lib/outbox/kinds/ and one line in its index.ts.
 */
export interface OutboxKindHandler<C, D extends OutboxDeps = OutboxDeps> {
  /** The reason a row is settled `dead` with when `load` found nothing for it (e.g. erased). */
  missing: string;
  /** The context of every claimed row of this kind, by `messageId`: one query for all of them. */
  load(db: Db, rows: readonly OutboxRow[]): Promise<Map<string, C>>;
  /** A reason not to send it any more (settled `dead`, nothing else happens), or null. */
  obsolete?(ctx: C): string | null;
  /**
   * The receiving platform's status, for the rules every platform message shares: paused → held
   * without spending a retry; disabled → given up as `endpoint_gone`. Omitted when the message
   * does not go to a platform.
   */
  platformStatus?(ctx: C): PlatformStatus;
  /** Once per claim, for the rows about to be sent (e.g. mark them sent on the owner's timeline). */
  beforeSend?(db: Db, deliveries: Delivery<C>[], now: Date): Promise<void>;
  /** One attempt. A thrown error is our own failure: the row is retried soon. */
  send(delivery: Delivery<C>, deps: D): Promise<Verdict>;
  /** In the settling transaction, for the rows this dispatcher still held: what delivery means. */
  delivered?(tx: Tx, deliveries: Delivery<C>[], now: Date): Promise<void>;
  /**
   * Final failure, in the settling transaction (only if the row was still held). `gone`: the
   * platform's endpoint is gone (a 410, or the platform is disabled).
   */
  failed?(tx: Tx, delivery: Delivery<C>, failure: { reason: string; gone: boolean; now: Date }): Promise<void>;
}

/** A handler with its context type erased, as the registry holds it. */
export type AnyKindHandler<D extends OutboxDeps> = OutboxKindHandler<unknown, D>;

/** Declares a kind; the registry (lib/outbox/kinds/index.ts) lists them. */
export function defineKind<C, D extends OutboxDeps = OutboxDeps>(handler: OutboxKindHandler<C, D>): AnyKindHandler<D> {
  return handler as unknown as AnyKindHandler<D>;
}

/** Every kind the database knows has a handler: a new enum value without one does not compile. */
export type OutboxRegistry<D extends OutboxDeps> = Record<OutboxKind, AnyKindHandler<D>>;

export type Outcome = "delivered" | "retrying" | "failed";

export interface DispatchSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export const emptySummary = (): DispatchSummary => ({ claimed: 0, delivered: 0, retrying: 0, failed: 0 });
