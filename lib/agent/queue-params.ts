import { CASE_KINDS, CASE_STATUSES, type CaseKind, type CaseStatus } from "@/db/enums";
import type { CaseQueueFilter } from "@/lib/cases/queries";

/**
 * The queue's filters as they live in the URL (`/agent?status=open&age=7&page=2`), so a view can be
 * shared and bookmarked. Pure: parsing drops anything it does not recognise (a hand-edited or stale
 * link shows the unfiltered queue, never an error page), and `queueQuery` writes the same filters
 * back for links and pagination.
 */

/** "Opened more than N days ago": a few fixed choices, so the select and the URL agree. */
export const QUEUE_AGES = [2, 7, 15, 30] as const;
export type QueueAge = (typeof QUEUE_AGES)[number];

export const QUEUE_PAGE_SIZE = 25;
/** Beyond this a page number is a typo, not a place in the queue. */
const MAX_PAGE = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Carrier codes as the seed writes them (cmcc, cucc, ctcc). */
const CARRIER_CODE = /^[a-z0-9_-]{1,32}$/;

export const isUuid = (value: string) => UUID.test(value);

export interface QueueParams {
  status?: CaseStatus;
  kind?: CaseKind;
  age?: QueueAge;
  /** "me", "unassigned", or (supervisors and admins) a staff id. */
  assignee?: string;
  overdue?: true;
  /** An admin's choice of carrier, by code. */
  carrier?: string;
  page: number;
}

/** What the viewer may filter by beyond the basics. */
export interface QueueParamRights {
  /** Supervisors and admins: one staff member's cases. */
  anyAssignee: boolean;
  /** Admins (who have no carrier of their own): the carrier whose queue to show. */
  chooseCarrier: boolean;
}

type SearchParams = Record<string, string | string[] | undefined>;

const oneOf = <T extends string>(list: readonly T[], value: string): T | undefined => (list as readonly string[]).includes(value) ? (value as T) : undefined;

export function parseQueueParams(params: SearchParams, rights: QueueParamRights): QueueParams {
  const one = (key: string) => {
    const value = params[key];
    return ((Array.isArray(value) ? value[0] : value) ?? "").trim();
  };
  const parsed: QueueParams = { page: 1 };
  const status = oneOf(CASE_STATUSES, one("status"));
  if (status) parsed.status = status;
  const kind = oneOf(CASE_KINDS, one("kind"));
  if (kind) parsed.kind = kind;
  const age = QUEUE_AGES.find((a) => String(a) === one("age"));
  if (age) parsed.age = age;
  const assignee = one("assignee").toLowerCase();
  if (assignee === "me" || assignee === "unassigned" || (rights.anyAssignee && isUuid(assignee))) parsed.assignee = assignee;
  if (["1", "true", "on", "yes"].includes(one("overdue").toLowerCase())) parsed.overdue = true;
  const carrier = one("carrier").toLowerCase();
  if (rights.chooseCarrier && CARRIER_CODE.test(carrier)) parsed.carrier = carrier;
  const page = one("page");
  if (/^\d{1,5}$/.test(page) && Number(page) >= 1 && Number(page) <= MAX_PAGE) parsed.page = Number(page);
  return parsed;
}

/** Whether anything but the page and the carrier narrows the queue (the "clear filters" link shows then). */
export const hasFilters = (p: QueueParams) => Boolean(p.status || p.kind || p.age || p.assignee || p.overdue);

/** The filters as the query `caseQueue` runs, for one carrier and the staff member asking. */
export function queueFilter(p: QueueParams, scope: { carrierId: string; me: string; now: Date; pageSize?: number }): CaseQueueFilter {
  return {
    carrierId: scope.carrierId,
    me: scope.me,
    now: scope.now,
    page: p.page,
    pageSize: scope.pageSize ?? QUEUE_PAGE_SIZE,
    ...(p.status ? { status: p.status } : {}),
    ...(p.kind ? { kind: p.kind } : {}),
    ...(p.assignee ? { assignee: p.assignee } : {}),
    ...(p.overdue ? { overdue: true } : {}),
    ...(p.age ? { olderThanDays: p.age } : {}),
  };
}

/**
 * The filters back as a query string ("" or "?status=open&page=2"), in a fixed order so one view
 * has one URL; page 1 is left out. `change` overrides fields (`{ page: 3 }`, `{ page: 1 }`).
 */
export function queueQuery(p: QueueParams, change: Partial<QueueParams> = {}): string {
  const next = { ...p, ...change };
  const query = new URLSearchParams();
  if (next.carrier) query.set("carrier", next.carrier);
  if (next.status) query.set("status", next.status);
  if (next.kind) query.set("kind", next.kind);
  if (next.age) query.set("age", String(next.age));
  if (next.assignee) query.set("assignee", next.assignee);
  if (next.overdue) query.set("overdue", "1");
  if (next.page > 1) query.set("page", String(next.page));
  const qs = query.toString();
  return qs ? `?${qs}` : "";
}

/** How many pages `total` cases fill (at least 1, so an empty queue is "page 1 of 1"). */
export const pageCount = (total: number, pageSize = QUEUE_PAGE_SIZE) => Math.max(1, Math.ceil(total / pageSize));
