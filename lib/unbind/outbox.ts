import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { outbox, platforms, type OutboxRow } from "@/db/schema";
import type { Clock } from "@/lib/clock";
import { failureLabel, type CallResult } from "@/lib/platforms/client";
import type { EgressPolicy } from "@/lib/platforms/egress";
import type { SigningKey } from "@/lib/platforms/keys";
import type { SmsProvider } from "@/lib/sms/types";
import type { Env } from "@/lib/env";

/**
 * What every kind of outbox delivery shares (unbind requests, owner SMS, wrong-party reports):
 * the retry schedule, the lease check and how a platform's answer is judged.
 *
 * Retries: network errors, timeouts, 429 (Retry-After honoured) and 5xx, after 10 s, 1 min, 5 min,
 * 30 min, 2 h, 6 h, 12 h, 24 h and 24 h (about three days, ±20 % jitter). Any other 4xx is final;
 * 410 means the endpoint is gone for good.
 */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000, 12 * 3600_000, 24 * 3600_000, 24 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export interface DispatchDeps {
  db: Db;
  clock?: Clock;
  policy?: EgressPolicy;
  env?: Pick<Env, "SANDBOX_PARTNER_URL">;
  keys?: SigningKey[];
  /** One platform request is abandoned after this (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed row is held; must exceed timeoutMs (default timeout + 20 s). */
  leaseMs?: number;
  random?: () => number;
  sms?: () => SmsProvider;
  /** Public URL of the service, for the link in the completion SMS. */
  publicUrl?: string;
}

/** Only the holder of the current lease may settle a row. */
export const heldBy = (row: OutboxRow) => and(eq(outbox.id, row.id), eq(outbox.lockedUntil, row.lockedUntil!));

export async function scheduleRetry(deps: DispatchDeps, row: OutboxRow, now: Date, label: string, retryAfterSeconds?: number) {
  const random = deps.random ?? Math.random;
  const base = RETRY_DELAYS_MS[Math.min(row.attempts, RETRY_DELAYS_MS.length) - 1]!;
  // Retry-After is honoured up to a day: a platform cannot park a request for a year.
  const delay = Math.max(Math.round(base * (0.8 + 0.4 * random())), Math.min(retryAfterSeconds ?? 0, 86_400) * 1000);
  await deps.db
    .update(outbox)
    .set({ nextAttemptAt: new Date(now.getTime() + delay), lastError: label, lockedUntil: null })
    .where(heldBy(row));
}

/** An operator paused the platform: hold its messages without spending their retries. */
export async function holdWhilePaused(deps: DispatchDeps, row: OutboxRow, now: Date) {
  await deps.db
    .update(outbox)
    .set({ attempts: row.attempts - 1, nextAttemptAt: new Date(now.getTime() + 5 * 60_000), lastError: "platform_paused", lockedUntil: null })
    .where(heldBy(row));
}

export type Verdict =
  | { kind: "accepted" }
  | { kind: "gone" }
  | { kind: "retry"; label: string; retryAfterSeconds?: number }
  | { kind: "final"; label: string };

/** How a platform's answer to a delivery is judged; `attempts` decides when retrying stops. */
export function verdictOf(result: CallResult, attempts: number): Verdict {
  // A 2xx is an acknowledgement; its body, if any, is not needed.
  if (result.ok || (result.error === "invalid_json" && (result.status ?? 0) >= 200 && (result.status ?? 0) < 300)) return { kind: "accepted" };
  if (result.error === "http_status" && result.status === 410) return { kind: "gone" };
  const label = failureLabel(result);
  const retryable =
    result.error === "timeout" || result.error === "network" || (result.error === "http_status" && (result.status === 429 || (result.status ?? 0) >= 500));
  if (!retryable) return { kind: "final", label };
  if (attempts >= MAX_ATTEMPTS) return { kind: "final", label: "unreachable" };
  return { kind: "retry", label, retryAfterSeconds: result.retryAfterSeconds };
}

export type Outcome = "delivered" | "retrying" | "failed";

/**
 * Settles a row this dispatcher holds, and runs what follows from it (if anything) in the same transaction
 * (only if the row was still held: a dispatcher whose lease ran out settles nothing).
 * `delivered`: the platform took it. `dead`: final failure, `reason` kept; `disablePlatform` for a 410.
 */
export async function settle(
  deps: DispatchDeps,
  row: OutboxRow,
  outcome: { status: "delivered"; at: Date } | { status: "dead"; at: Date; reason: string; disablePlatform?: boolean },
  then?: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const settled = await tx
      .update(outbox)
      .set(
        outcome.status === "delivered"
          ? { status: "delivered", deliveredAt: outcome.at, lastError: null, lockedUntil: null }
          : { status: "dead", lastError: outcome.reason, lockedUntil: null },
      )
      .where(heldBy(row))
      .returning({ id: outbox.id });
    if (settled.length === 0) return;
    if (outcome.status === "dead" && outcome.disablePlatform && row.platformId) {
      await tx.update(platforms).set({ status: "disabled" }).where(eq(platforms.id, row.platformId));
    }
    await then?.(tx);
  });
}
