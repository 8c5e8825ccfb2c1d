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
