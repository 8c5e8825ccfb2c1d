import type { UnbindStatus } from "@/db/schema";

/**
 * How far along an item is. A callback may move an item forward only: `accepted` after `unbound`
 * is a late duplicate and is ignored. `failed` (we gave up delivering) ranks below the platform's
 * own answers, so a platform that did get the request after all can still report its outcome;
 * `scheduled` and `needs_owner_action` can still become `unbound` or `rejected`.
 */
export const STATUS_RANK: Record<UnbindStatus, number> = {
  queued: 0,
  sent: 1,
  accepted: 2,
  failed: 2.5,
  scheduled: 3,
  needs_owner_action: 3,
  unbound: 4,
  rejected: 4,
};

/** Statuses after which the owner has their answer for this platform. */
export const FINAL_STATUSES: readonly UnbindStatus[] = ["unbound", "scheduled", "rejected", "needs_owner_action", "failed"];

export function isFinal(status: UnbindStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function movesForward(from: UnbindStatus, to: UnbindStatus): boolean {
  return STATUS_RANK[to] > STATUS_RANK[from];
}

/** Reason codes a platform may give (shown in words); anything else shows as "other". */
export const REJECT_REASONS = ["bound_after_tenure", "account_in_use", "not_found"] as const;

/**
 * What an item's status means to the owner, in the groups the pages count and explain: the
 * platform's answers, "not delivered" (`failed`), and "waiting" for everything before an answer.
 */
export const OUTCOMES = ["unbound", "scheduled", "needs_owner_action", "rejected", "failed", "waiting"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function outcomeOf(status: UnbindStatus): Outcome {
  return status === "queued" || status === "sent" || status === "accepted" ? "waiting" : status;
}

/** "2 unbound, 1 scheduled, 1 waiting": the outcomes that occur, in `OUTCOMES` order, with their counts. */
export function outcomeSummary(statuses: readonly UnbindStatus[]): { outcome: Outcome; count: number }[] {
  const counts = new Map<Outcome, number>();
  for (const s of statuses) counts.set(outcomeOf(s), (counts.get(outcomeOf(s)) ?? 0) + 1);
  return OUTCOMES.filter((o) => counts.has(o)).map((outcome) => ({ outcome, count: counts.get(outcome)! }));
}

/**
 * What happens next for an item still waiting, from the real deadlines: a request not yet
 * delivered is retried on the outbox schedule (`retryForMs`, about three days) before it fails and
 * carrier customer service follows up; one the platform accepted gets an agent case once it has
 * been silent for `silenceMs` (lib/unbind/silence.ts), counted from when it was accepted.
 */
export type WaitingStep =
  | { kind: "delivering"; retryDays: number }
  | { kind: "awaiting"; caseAt: Date }
  | { kind: "overdue" };

export function waitingStep(item: { status: UnbindStatus; updatedAt: Date }, now: Date, deadlines: { retryForMs: number; silenceMs: number }): WaitingStep | null {
  if (item.status === "queued" || item.status === "sent") return { kind: "delivering", retryDays: Math.max(1, Math.round(deadlines.retryForMs / 86_400_000)) };
  if (item.status !== "accepted") return null;
  const caseAt = new Date(item.updatedAt.getTime() + deadlines.silenceMs);
  return caseAt.getTime() > now.getTime() ? { kind: "awaiting", caseAt } : { kind: "overdue" };
}
