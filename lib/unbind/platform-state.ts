import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db";
import { lookupResults, lookups, unbindBatches, unbindItems, type LookupStatus, type UnbindStatus } from "@/db/schema";
import { REJECT_REASONS } from "./status";

/**
 * Where each platform stands for an owner's tenure, across look-ups and unbind batches: the latest
 * look-up's answer, the latest request (if any) and its state, and when the number first went to
 * the platform. The look-up page, the task list, the batch's eligibility and the consent page all
 * read this, so they cannot disagree.
 */

/** A request's state in the owner's words; dates as the owner sees them. */
export type RequestState =
  | { kind: "waiting"; batchId: string; requestedAt: Date }
  | { kind: "unbound"; batchId: string; requestedAt: Date; at: Date }
  | { kind: "scheduled"; batchId: string; requestedAt: Date; effectiveAt: Date | null }
  | { kind: "declined"; batchId: string; requestedAt: Date; at: Date; reasonKey: ReasonKey }
  | { kind: "failed"; batchId: string; requestedAt: Date; at: Date; reasonKey: ReasonKey }
  | { kind: "needs_owner_action"; batchId: string; requestedAt: Date; at: Date };

/** Keys of messages `unbind.reasons.*`. */
export type ReasonKey = (typeof REJECT_REASONS)[number] | "other" | "endpoint_gone" | "unreachable" | "refused";

export interface PlatformState {
  platformId: string;
  /** The answer in the owner's latest look-up of this tenure; null if the platform was not in it. */
  answer: LookupStatus | null;
  /** When that look-up started; null with no answer. */
  answeredAt: Date | null;
  /** The latest unbind request to the platform in this tenure; null: never requested. */
  request: RequestState | null;
  /** When the number first went to the platform in this tenure (a look-up asked, or a request sent). */
  firstSentAt: Date | null;
}

/** A declined or undelivered request may be sent again; anything else is in flight or answered. */
export function reaskable(request: RequestState | null): boolean {
  return request === null || request.kind === "declined" || request.kind === "failed";
}

/**
 * May the owner ask this platform to unbind now? Only when the latest look-up found the previous
 * owner's account and no request is in flight or already answered with unbound / scheduled /
 * "act in our app".
 */
export function canAsk(state: Pick<PlatformState, "answer" | "answeredAt" | "request">): boolean {
  return state.answer === "bound_before_tenure" && (reaskable(state.request) || superseded(state));
}

/**
 * The platform said it was done (unbound, or scheduled for a date now past), yet a look-up made
 * after that still finds the previous owner's account: its answer no longer holds, and the owner
 * may ask again — otherwise they would be stuck with a bound number and no way to ask.
 */
export function superseded({ answer, answeredAt, request }: Pick<PlatformState, "answer" | "answeredAt" | "request">): boolean {
  if (answer !== "bound_before_tenure" || !answeredAt || !request) return false;
  if (request.kind === "unbound") return answeredAt > request.at;
  if (request.kind === "scheduled") return request.effectiveAt !== null && answeredAt > request.effectiveAt;
  return false;
}

export function requestState(item: { status: UnbindStatus; batchId: string; requestedAt: Date; updatedAt: Date; effectiveAt: Date | null; reason: string | null }): RequestState {
  const base = { batchId: item.batchId, requestedAt: item.requestedAt };
  switch (item.status) {
    case "queued":
    case "sent":
    case "accepted":
      return { kind: "waiting", ...base };
    case "unbound":
      return { kind: "unbound", ...base, at: item.updatedAt };
    case "scheduled":
      return { kind: "scheduled", ...base, effectiveAt: item.effectiveAt };
    case "rejected":
      return { kind: "declined", ...base, at: item.updatedAt, reasonKey: (REJECT_REASONS as readonly string[]).includes(item.reason ?? "") ? (item.reason as ReasonKey) : "other" };
    case "failed":
      // The same words as the batch page (app/(owner)/unbind/[id]).
      return { kind: "failed", ...base, at: item.updatedAt, reasonKey: item.reason === "endpoint_gone" || item.reason === "unreachable" ? item.reason : "refused" };
    case "needs_owner_action":
      return { kind: "needs_owner_action", ...base, at: item.updatedAt };
  }
}

interface Row extends Record<string, unknown> {
  platform_id: string;
  answer: LookupStatus | null;
  answered_at: string | Date | null;
  item_status: UnbindStatus | null;
  batch_id: string | null;
  requested_at: string | Date | null;
  updated_at: string | Date | null;
  effective_at: string | Date | null;
  reason: string | null;
  first_sent_at: string | Date | null;
}

const asDate = (v: string | Date | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * Every platform's state for the owner's tenure, in ONE query: the latest look-up's answers, the
 * latest item per platform across the tenure's batches (by when its batch was sent), and the first
 * time the number went to each platform, joined on the platform.
 */
export async function platformStates(db: DbOrTx, ownerId: string, tenureId: string): Promise<Map<string, PlatformState>> {
  const rows = await queryRows<Row>(
    db,
    sql`with latest as (
          select ${lookups.id} as id, ${lookups.startedAt} as started_at from ${lookups}
          where ${lookups.ownerId} = ${ownerId}::uuid and ${lookups.tenureId} = ${tenureId}::uuid
          order by ${lookups.startedAt} desc limit 1),
        answers as (
          select r.platform_id, r.status as answer, latest.started_at as answered_at from ${lookupResults} r join latest on latest.id = r.lookup_id),
        requests as (
          select distinct on (i.platform_id) i.platform_id, i.status as item_status, i.batch_id, b.created_at as requested_at,
                 i.updated_at, i.effective_at, i.reason
          from ${unbindItems} i join ${unbindBatches} b on b.id = i.batch_id
          where b.owner_id = ${ownerId}::uuid and b.tenure_id = ${tenureId}::uuid
          order by i.platform_id, b.created_at desc, i.updated_at desc),
        sent as (
          select platform_id, min(at) as first_sent_at from (
            select r.platform_id, l.started_at as at from ${lookupResults} r join ${lookups} l on l.id = r.lookup_id
            where l.owner_id = ${ownerId}::uuid and l.tenure_id = ${tenureId}::uuid and r.attempts > 0
            union all
            select i.platform_id, b.created_at from ${unbindItems} i join ${unbindBatches} b on b.id = i.batch_id
            where b.owner_id = ${ownerId}::uuid and b.tenure_id = ${tenureId}::uuid and i.status <> 'queued'
          ) s group by platform_id)
        select coalesce(a.platform_id, q.platform_id, s.platform_id) as platform_id, a.answer, a.answered_at, q.item_status, q.batch_id,
               q.requested_at, q.updated_at, q.effective_at, q.reason, s.first_sent_at
        from answers a
        full join requests q on q.platform_id = a.platform_id
        full join sent s on s.platform_id = coalesce(a.platform_id, q.platform_id)`,
  );
  return new Map(
    rows.map((r) => [
      r.platform_id,
      {
        platformId: r.platform_id,
        answer: r.answer,
        answeredAt: asDate(r.answered_at),
        request:
          r.item_status && r.batch_id
            ? requestState({ status: r.item_status, batchId: r.batch_id, requestedAt: asDate(r.requested_at)!, updatedAt: asDate(r.updated_at)!, effectiveAt: asDate(r.effective_at), reason: r.reason })
            : null,
        firstSentAt: asDate(r.first_sent_at),
      },
    ]),
  );
}

/**
 * The task "ask platforms to remove your number": the platforms that had the previous owner's
 * account (the latest look-up says so, or the owner already asked them) and how many were asked.
 */
export function requestProgress(states: Iterable<PlatformState>): { total: number; requested: number } {
  let total = 0;
  let requested = 0;
  for (const s of states) {
    if (s.answer !== "bound_before_tenure" && !s.request) continue;
    total++;
    if (s.request) requested++;
  }
  return { total, requested };
}
