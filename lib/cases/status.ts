import type { CaseStatus } from "@/db/enums";

/**
 * The status machine and the deadlines of a case: pure functions, no database (docs/cases.md).
 */

/** Resolved and closed cases are settled: out of the working queue, no deadline runs. */
export const SETTLED_STATUSES: readonly CaseStatus[] = ["resolved", "closed"];
export const isSettled = (status: CaseStatus) => SETTLED_STATUSES.includes(status);

/**
 * Legal moves. Nothing goes back to `open` (it means "nobody has looked yet"); reopening a
 * settled case puts it in progress. An open case may be closed straight away (the system closes a
 * report's case when the report ends).
 */
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ["in_progress", "waiting_platform", "waiting_owner", "resolved", "closed"],
  in_progress: ["waiting_platform", "waiting_owner", "resolved", "closed"],
  waiting_platform: ["in_progress", "waiting_owner", "resolved", "closed"],
  waiting_owner: ["in_progress", "waiting_platform", "resolved", "closed"],
  resolved: ["in_progress"],
  closed: ["in_progress"],
};

export const canTransition = (from: CaseStatus, to: CaseStatus) => CASE_TRANSITIONS[from].includes(to);

export interface CaseDeadlines {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** The deadlines of a case opened at `at`, from CASE_FIRST_RESPONSE_HOURS and CASE_RESOLUTION_DAYS. */
export function deadlinesFor(at: Date, settings: { firstResponseHours: number; resolutionDays: number }): CaseDeadlines {
  return {
    firstResponseDueAt: new Date(at.getTime() + settings.firstResponseHours * 3600_000),
    resolutionDueAt: new Date(at.getTime() + settings.resolutionDays * 86_400_000),
  };
}

export type Deadline = "first_response" | "resolution";

/** A duration as a page says it: the largest whole unit, at least 1 ("3 days", "5 hours", "1 minute"). */
export interface Span {
  unit: "days" | "hours" | "minutes";
  value: number;
}

export function span(ms: number): Span {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
  if (minutes >= 2 * 24 * 60) return { unit: "days", value: Math.floor(minutes / (24 * 60)) };
  if (minutes >= 60) return { unit: "hours", value: Math.floor(minutes / 60) };
  return { unit: "minutes", value: minutes };
}

type Timed = { status: CaseStatus; firstResponseDueAt: Date; resolutionDueAt: Date; firstRespondedAt: Date | null };

/** The deadline that applies now: the first response until it is given, then resolution; none once settled. */
export function currentDeadline(c: Timed): { deadline: Deadline; dueAt: Date } | null {
  if (isSettled(c.status)) return null;
  return c.firstRespondedAt ? { deadline: "resolution", dueAt: c.resolutionDueAt } : { deadline: "first_response", dueAt: c.firstResponseDueAt };
}

export type TimeLeft = { deadline: Deadline; dueAt: Date; overdue: boolean; ms: number; span: Span };

/**
 * How long is left on the deadline that applies now (`overdue: false`), or how long it has been
 * missed by (`overdue: true`, `ms` positive); null for a settled case.
 */
export function timeLeft(c: Timed, now: Date): TimeLeft | null {
  const current = currentDeadline(c);
  if (!current) return null;
  const diff = current.dueAt.getTime() - now.getTime();
  return { ...current, overdue: diff < 0, ms: Math.abs(diff), span: span(diff) };
}

/** The missed deadline and by how much, or null when the case is on time or settled. */
export function overdue(c: Timed, now: Date): TimeLeft | null {
  const left = timeLeft(c, now);
  return left?.overdue ? left : null;
}
