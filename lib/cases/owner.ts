import { and, desc, eq, gte, inArray, isNotNull, isNull, max, or, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import type { CaseKind, CaseStatus } from "@/db/enums";
import { agentCases, carriers, caseEvents, numberTenures, owners, reports, unbindBatches, unbindItems } from "@/db/schema";
import { consumeAll } from "@/lib/rate-limit";
import { decryptText } from "@/lib/security/encryption";
import { caseEventAad, closeCase, NOTE_MAX_CHARS, openCase, ownerReplyCase } from "./cases";
import { caseTimeline } from "./queries";
import { isSettled } from "./status";

/**
 * The owner's side of agent cases: which cases are theirs, what of them they may read, and the
 * two things they write (a help message, an answer). The writes themselves are lib/cases/cases.ts;
 * this module decides whose they are first.
 *
 * The owner row follows the number: a later holder of the same number signs in as the same owner
 * id. So "theirs" is the owner id AND the current holding, the rule lib/unbind/record.ts and
 * lib/owners/export.ts follow: a case about a tenure, an unbind item or a report counts when that
 * subject belongs to the number's open tenure; a case about the owner alone (`owner_help`, a
 * `manual` case) when it was opened since the current holding began — the open tenure's start,
 * or the end of the number's last earlier tenure if that is later (a self-declared start may be
 * typed too early), and without an open tenure the end of the last earlier one. A previous
 * holder's case is then not found, never shown.
 */

export { NOTE_MAX_CHARS };

/** Who is asking: the signed-in owner (id and the number they proved). */
export interface CaseOwner {
  id: string;
  number: string;
}

export interface OwnerCaseScope {
  ownerId: string;
  /** The number's open tenure, or null when none is on record. */
  tenureId: string | null;
  /** Owner-only cases opened before this are an earlier holder's; null: nothing marks a change of hands. */
  since: Date | null;
}

export async function ownerCaseScope(db: DbOrTx, owner: CaseOwner): Promise<OwnerCaseScope> {
  const [tenure, [ended]] = await Promise.all([
    db
      .select({ id: numberTenures.id, startedAt: numberTenures.startedAt })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, owner.number), isNull(numberTenures.endedAt)))
      .then((rows) => rows[0]),
    db
      .select({ at: max(numberTenures.endedAt) })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, owner.number), isNotNull(numberTenures.endedAt))),
  ]);
  const marks = [tenure?.startedAt, ended?.at].filter((d): d is Date => d instanceof Date);
  const since = marks.length ? new Date(Math.max(...marks.map((d) => d.getTime()))) : null;
  return { ownerId: owner.id, tenureId: tenure?.id ?? null, since };
}

/** The SQL condition "this case is the owner's, in their current holding" (the rule above). */
export function ownCases(db: DbOrTx, scope: OwnerCaseScope): SQL {
  const aboutOwnerOnly = and(
    eq(agentCases.ownerId, scope.ownerId),
    isNull(agentCases.tenureId),
    isNull(agentCases.unbindItemId),
    isNull(agentCases.reportId),
    scope.since ? gte(agentCases.createdAt, scope.since) : undefined,
  )!;
  if (!scope.tenureId) return aboutOwnerOnly;
  const items = db
    .select({ id: unbindItems.id })
    .from(unbindItems)
    .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
    .where(and(eq(unbindBatches.ownerId, scope.ownerId), eq(unbindBatches.tenureId, scope.tenureId)));
  const ownReports = db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.ownerId, scope.ownerId), eq(reports.tenureId, scope.tenureId)));
  return or(eq(agentCases.tenureId, scope.tenureId), inArray(agentCases.unbindItemId, items), inArray(agentCases.reportId, ownReports), aboutOwnerOnly)!;
}

export interface OwnerCaseRow {
  id: string;
  kind: CaseKind;
  status: CaseStatus;
  platformId: string | null;
  createdAt: Date;
  /** The latest entry the owner can see (internal notes do not count). */
  lastActivityAt: Date;
  settled: boolean;
  /** Customer service's latest reply, for the number page to show where the case is listed. */
  lastReply: { at: Date; text: string } | null;
}

const lastSeen = sql<Date>`(select max(${caseEvents.at}) from ${caseEvents} where ${caseEvents.caseId} = ${agentCases.id} and ${caseEvents.kind} <> 'note')`.mapWith(agentCases.createdAt);

/** The owner's cases, active first, then the most recently active. */
export async function ownerCases(db: Db, owner: CaseOwner): Promise<OwnerCaseRow[]> {
  const scope = await ownerCaseScope(db, owner);
  const rows = await db
    .select({ id: agentCases.id, kind: agentCases.kind, status: agentCases.status, platformId: agentCases.platformId, createdAt: agentCases.createdAt, settledAt: agentCases.settledAt, lastActivityAt: lastSeen })
    .from(agentCases)
    .where(ownCases(db, scope))
    .orderBy(sql`${agentCases.settledAt} is not null`, desc(lastSeen), desc(agentCases.id));
  const replies = await latestReplies(db, rows.map((r) => r.id));
  return rows.map(({ settledAt, lastActivityAt, ...r }) => ({ ...r, lastActivityAt: lastActivityAt ?? r.createdAt, settled: settledAt !== null, lastReply: replies.get(r.id) ?? null }));
}

/** The newest `reply` of each case (decrypted), in one query; notes are never read here. */
async function latestReplies(db: Db, caseIds: string[]): Promise<Map<string, { at: Date; text: string }>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([caseEvents.caseId], { id: caseEvents.id, caseId: caseEvents.caseId, at: caseEvents.at, textEnc: caseEvents.textEnc })
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, caseIds), eq(caseEvents.kind, "reply"), isNotNull(caseEvents.textEnc)))
    .orderBy(caseEvents.caseId, desc(caseEvents.at), desc(caseEvents.seq));
  return new Map(rows.map((r) => [r.caseId, { at: r.at, text: decryptText(r.textEnc!, caseEventAad(r.id)) }]));
}

/** One entry of a case as its owner reads it: no internal notes, no staff ids or names. */
export type OwnerCaseEntry =
  | { id: string; at: Date; kind: "opened" }
  | { id: string; at: Date; kind: "status"; toStatus: CaseStatus }
  | { id: string; at: Date; kind: "reply" | "owner_reply"; text: string };

export interface OwnerCaseView extends Omit<OwnerCaseRow, "lastActivityAt" | "lastReply"> {
  /** Who answers: the case's carrier, to sign replies "customer service, China Mobile". */
  carrier: { nameZh: string; nameEn: string } | null;
  entries: OwnerCaseEntry[];
}

/**
 * One case of the owner's, with its timeline as they may see it; null for anyone else's case, an
 * earlier holder's, or an id that does not exist (the page answers 404 to all three alike).
 * Assignments, routing and the first-response mark are customer service's bookkeeping: left out.
 */
export async function ownerCase(db: Db, owner: CaseOwner, caseId: string): Promise<OwnerCaseView | null> {
  const scope = await ownerCaseScope(db, owner);
  const [row] = await db
    .select({ id: agentCases.id, kind: agentCases.kind, status: agentCases.status, platformId: agentCases.platformId, createdAt: agentCases.createdAt, settledAt: agentCases.settledAt, carrierZh: carriers.nameZh, carrierEn: carriers.nameEn })
    .from(agentCases)
    .leftJoin(carriers, eq(carriers.id, agentCases.carrierId))
    .where(and(eq(agentCases.id, caseId), ownCases(db, scope)));
  if (!row) return null;
  const entries: OwnerCaseEntry[] = [];
  for (const e of await caseTimeline(db, caseId, { forOwner: true })) {
    if (e.kind === "opened") entries.push({ id: e.id, at: e.at, kind: "opened" });
    else if (e.kind === "status" && e.toStatus) entries.push({ id: e.id, at: e.at, kind: "status", toStatus: e.toStatus });
    else if ((e.kind === "reply" || e.kind === "owner_reply") && e.text) entries.push({ id: e.id, at: e.at, kind: e.kind, text: e.text });
  }
  const { carrierZh, carrierEn, settledAt, ...rest } = row;
  return { ...rest, settled: settledAt !== null, carrier: carrierZh ? { nameZh: carrierZh, nameEn: carrierEn ?? carrierZh } : null, entries };
}

/** How many messages an owner may send customer service (help and answers together). */
export const OWNER_MESSAGE_LIMITS = [
  { window: "10m", max: 5, windowMs: 10 * 60_000 },
  { window: "day", max: 20, windowMs: 24 * 3600_000 },
] as const;

type Refusal = { ok: false; error: "empty" | "not_found" | "settled" } | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

/** Takes one message from the owner's allowance (keys name the owner id only). */
async function allowMessage(db: Db, ownerId: string, at: Date): Promise<Refusal | null> {
  const decision = await consumeAll(
    db,
    OWNER_MESSAGE_LIMITS.map((l) => ({ key: `cases:owner_message:${l.window}:${ownerId}`, max: l.max, windowMs: l.windowMs })),
    at,
  );
  return decision.allowed ? null : { ok: false, error: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
}

const hasText = (text: string) => text.replace(/[\u0000-\u001f\u007f\s]+/g, "").length > 0;

export type AskForHelpResult = { ok: true; caseId: string; joined: boolean } | Refusal;

/**
 * "Contact customer service": opens the owner's `owner_help` case with the message as its first
 * owner reply, or, while one of theirs is active, adds the message to it (`joined`). An active
 * help case of an earlier holder of the number (same owner row) is closed by the system first:
 * nobody can read its answers any more, and the new holder gets a case of their own.
 */
export async function askForHelp(db: Db, input: { owner: CaseOwner; message: string; at: Date }): Promise<AskForHelpResult> {
  if (!hasText(input.message)) return { ok: false, error: "empty" };
  const refused = await allowMessage(db, input.owner.id, input.at);
  if (refused) return refused;
  const scope = await ownerCaseScope(db, input.owner);
  const [active] = await db
    .select({ id: agentCases.id, mine: sql<boolean>`${ownCases(db, scope)}` })
    .from(agentCases)
    .where(and(eq(agentCases.kind, "owner_help"), eq(agentCases.ownerId, input.owner.id), isNull(agentCases.settledAt)))
    .limit(1);
  if (active?.mine) {
    if (await ownerReplyCase(db, { caseId: active.id, ownerId: input.owner.id, text: input.message, at: input.at })) return { ok: true, caseId: active.id, joined: true };
  } else if (active) {
    await closeCase(db, { caseId: active.id, at: input.at });
  }
  const opened = await openCase(db, {
    kind: "owner_help",
    subject: { ownerId: input.owner.id },
    ownerId: input.owner.id,
    platformId: null,
    carrierId: await tenureCarrier(db, scope.tenureId),
    number: input.owner.number,
    message: input.message,
    at: input.at,
  });
  // Opened by someone else's click a moment ago: the message joins it instead.
  if (!opened.opened) await ownerReplyCase(db, { caseId: opened.id, ownerId: input.owner.id, text: input.message, at: input.at });
  return { ok: true, caseId: opened.id, joined: !opened.opened };
}

async function tenureCarrier(db: DbOrTx, tenureId: string | null): Promise<string | null> {
  if (!tenureId) return null;
  const [row] = await db.select({ carrierId: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.id, tenureId));
  return row?.carrierId ?? null;
}

export type AnswerCaseResult = { ok: true } | Refusal;

/**
 * The owner answers on one of their cases (`ownerReplyCase`: a case waiting for them goes back in
 * progress). Someone else's case, an earlier holder's or an unknown id is `not_found` and nothing
 * is written; a settled case is `settled` (the page offers a new help request instead).
 */
export async function answerCase(db: Db, input: { owner: CaseOwner; caseId: string; text: string; at: Date }): Promise<AnswerCaseResult> {
  const scope = await ownerCaseScope(db, input.owner);
  const [row] = await db.select({ status: agentCases.status }).from(agentCases).where(and(eq(agentCases.id, input.caseId), ownCases(db, scope)));
  if (!row) return { ok: false, error: "not_found" };
  if (isSettled(row.status)) return { ok: false, error: "settled" };
  if (!hasText(input.text)) return { ok: false, error: "empty" };
  const refused = await allowMessage(db, input.owner.id, input.at);
  if (refused) return refused;
  // Settled between the check and now: ownerReplyCase writes nothing then.
  return (await ownerReplyCase(db, { caseId: input.caseId, ownerId: input.owner.id, text: input.text, at: input.at })) ? { ok: true } : { ok: false, error: "settled" };
}

/**
 * A self-declared tenure start waits for customer service: opens its `tenure_review` case, or,
 * for a correction while one is active, adds the correction to it as the owner's entry (`note`,
 * what the owner changed, in words the caller chose) rather than opening a second case.
 */
export async function reviewTenure(db: Db, input: { ownerId: string; tenureId: string; carrierId: string | null; number: string; at: Date; note?: string }): Promise<{ id: string; opened: boolean }> {
  const opened = await openCase(db, {
    kind: "tenure_review",
    subject: { tenureId: input.tenureId },
    ownerId: input.ownerId,
    platformId: null,
    carrierId: input.carrierId,
    number: input.number,
    message: input.note ?? null,
    at: input.at,
  });
  if (!opened.opened && input.note) await ownerReplyCase(db, { caseId: opened.id, ownerId: input.ownerId, text: input.note, at: input.at });
  return opened;
}

/** The texts of the owner's cases they may read (for their data export): their own messages and customer service's replies, oldest first. */
export async function ownerCaseTexts(db: Db, caseIds: string[]) {
  const out: { caseId: string; at: Date; kind: "reply" | "owner_reply"; text: string }[] = [];
  for (const caseId of caseIds) {
    for (const e of await caseTimeline(db, caseId, { forOwner: true })) {
      if ((e.kind === "reply" || e.kind === "owner_reply") && e.text) out.push({ caseId, at: e.at, kind: e.kind, text: e.text });
    }
  }
  return out;
}

/**
 * True when the case is its owner's within their current holding of the number. The owner row
 * follows the number, so a case of an earlier holder still names it: a reply to that case must not
 * text today's holder, who could not read it (lib/agent/case-work.ts refuses it).
 */
export async function inCurrentHolding(db: Db, caseId: string): Promise<boolean> {
  const [row] = await db.select({ ownerId: agentCases.ownerId, number: owners.number }).from(agentCases).innerJoin(owners, eq(owners.id, agentCases.ownerId)).where(eq(agentCases.id, caseId));
  if (!row?.ownerId) return false;
  const scope = await ownerCaseScope(db, { id: row.ownerId, number: row.number });
  const [own] = await db.select({ id: agentCases.id }).from(agentCases).where(and(eq(agentCases.id, caseId), ownCases(db, scope)));
  return own !== undefined;
}
