import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import type { CaseEventKind, CaseKind, CaseStatus, StaffRole } from "@/db/enums";
import { agentCases, carriers, caseEvents, outbox, owners, staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { carrierFromPrefix } from "@/lib/phone/carrier";
import { encryptText } from "@/lib/security/encryption";
import { canTransition, deadlinesFor, isSettled } from "./status";

/**
 * Agent cases: work for a carrier's customer service. This is the one module that writes them —
 * opens (once: an active case of a kind for a subject is not opened twice), routes, assigns,
 * moves, notes, replies and closes — and every change is a `case_events` row (docs/cases.md).
 * Reading them is lib/cases/queries.ts; the status machine and deadlines are lib/cases/status.ts.
 */
export type { CaseKind };
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type DbOrTx = Db | Tx;

/**
 * What a case is about: one unbind item, one report, one tenure (a `tenure_review`, or a `manual`
 * case about it) or one owner (`owner_help`, `manual`).
 */
export type CaseSubject = { unbindItemId: string } | { reportId: string } | { tenureId: string } | { ownerId: string };

function subjectOf(subject: CaseSubject) {
  if ("reportId" in subject) return { column: agentCases.reportId, id: subject.reportId, values: { reportId: subject.reportId } };
  if ("unbindItemId" in subject) return { column: agentCases.unbindItemId, id: subject.unbindItemId, values: { unbindItemId: subject.unbindItemId } };
  if ("tenureId" in subject) return { column: agentCases.tenureId, id: subject.tenureId, values: { tenureId: subject.tenureId } };
  return { column: agentCases.ownerId, id: subject.ownerId, values: {} };
}

const active = isNull(agentCases.settledAt);

/** The AAD a note's or reply's ciphertext is bound to: its own row. */
export const caseEventAad = (eventId: string) => `case_event:${eventId}`;

/** Appends one timeline row; `text` is encrypted here, bound to the row. Returns the row's id. */
async function event(
  tx: DbOrTx,
  e: { caseId: string; at: Date; kind: CaseEventKind; actorId?: string | null; fromStatus?: CaseStatus; toStatus?: CaseStatus; assigneeId?: string | null; text?: string },
) {
  const id = randomUUID();
  await tx.insert(caseEvents).values({
    id,
    caseId: e.caseId,
    at: e.at,
    kind: e.kind,
    actorId: e.actorId ?? null,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    assigneeId: e.assigneeId ?? null,
    textEnc: e.text === undefined ? null : encryptText(e.text, caseEventAad(id)),
  });
  return id;
}

export interface OpenCaseInput {
  kind: CaseKind;
  subject: CaseSubject;
  ownerId: string | null;
  platformId: string | null;
  /** The tenure's carrier. Null: the carrier the number's prefix belongs to, else the unassigned queue. */
  carrierId: string | null;
  /** The number, for its prefix when the carrier is not known; read from the owner when not given. */
  number?: string | null;
  /** Why, as a code (`endpoint_gone`, `http_503`, `no_callback`, …). */
  detail?: string | null;
  /** What the owner wrote (`owner_help`): the first `owner_reply` of the timeline, encrypted. */
  message?: string | null;
  /** A staff member who opened it (`manual`); null for the system and owners. */
  actorId?: string | null;
  at: Date;
}

/**
 * Opens a case, unless an active one of the same kind for the same subject exists: then that one
 * is returned (`opened: false`). Concurrent openers of the same case queue on an advisory lock
 * held to the end of the caller's transaction, so it is opened once. Its deadlines are fixed now.
 */
export async function openCase(db: DbOrTx, input: OpenCaseInput): Promise<{ id: string; opened: boolean }> {
  const subject = subjectOf(input.subject);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`agent_case:${input.kind}:${subject.id}`}, 0))`);
    const [existing] = await tx.select({ id: agentCases.id }).from(agentCases).where(and(eq(agentCases.kind, input.kind), eq(subject.column, subject.id), active)).limit(1);
    if (existing) return { id: existing.id, opened: false };
    const carrierId = input.carrierId ?? (await carrierFor(tx, { number: input.number, ownerId: input.ownerId }));
    const due = deadlinesFor(input.at, env().cases);
    const [row] = await tx
      .insert(agentCases)
      .values({
        kind: input.kind,
        carrierId,
        ownerId: input.ownerId,
        platformId: input.platformId,
        ...subject.values,
        detail: input.detail ?? null,
        createdAt: input.at,
        ...due,
        nextDueAt: due.firstResponseDueAt,
      })
      // A report is active in the queue at most once whatever the kind (a unique index says so).
      .onConflictDoNothing()
      .returning({ id: agentCases.id });
    if (row) {
      await event(tx, { caseId: row.id, at: input.at, kind: "opened", actorId: input.actorId, toStatus: "open" });
      if (input.message) await event(tx, { caseId: row.id, at: input.at, kind: "owner_reply", text: clean(input.message) });
      if (input.actorId) await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: "case.opened", subjectType: "agent_case", subjectId: row.id, metadata: { kind: input.kind } });
      return { id: row.id, opened: true };
    }
    const other = await tx.select({ id: agentCases.id }).from(agentCases).where(and(eq(subject.column, subject.id), active)).limit(1);
    return { id: other[0]!.id, opened: false };
  });
}

/**
 * The carrier whose agents take a case that has no tenure carrier: the one the number's prefix was
 * assigned to (a default since number portability), or null, the unassigned queue admins route.
 */
export async function carrierFor(db: DbOrTx, who: { number?: string | null; ownerId?: string | null }): Promise<string | null> {
  let number = who.number ?? null;
  if (!number && who.ownerId) [{ number } = { number: null }] = await db.select({ number: owners.number }).from(owners).where(eq(owners.id, who.ownerId));
  if (!number) return null;
  const code = await carrierFromPrefix(number);
  if (!code) return null;
  const [carrier] = await db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, code));
  return carrier?.id ?? null;
}

/** An admin sends an active case from the unassigned queue (or another carrier's) to a carrier. */
export async function routeCase(db: Db, input: { caseId: string; carrierId: string; actorId: string; at?: Date }): Promise<boolean> {
  const at = input.at ?? new Date();
  return db.transaction(async (tx) => {
    const routed = await tx
      .update(agentCases)
      // Another carrier's staff keep no hold on it.
      .set({ carrierId: input.carrierId, assignedTo: null })
      .where(and(eq(agentCases.id, input.caseId), active))
      .returning({ id: agentCases.id });
    if (routed.length === 0) return false;
    await event(tx, { caseId: input.caseId, at, kind: "routed", actorId: input.actorId });
    await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: "case.routed", subjectType: "agent_case", subjectId: input.caseId, metadata: { carrierId: input.carrierId } });
    return true;
  });
}

/** Who acts, as the session says (the guard has checked it is an enabled staff member). */
export interface CaseActor {
  id: string;
  role: StaffRole;
  carrierId: string | null;
}

export type AssignResult = { ok: true } | { ok: false; error: "not_found" | "settled" | "forbidden" | "not_staff_of_the_carrier" };

/**
 * Gives an active case to an agent or supervisor of its carrier. An agent may take a case of
 * their carrier for themself only; a supervisor may give their carrier's cases to anyone of it;
 * an admin to anyone of the case's carrier. An agent taking a case is its first response.
 */
export async function assignCase(db: Db, input: { caseId: string; assigneeId: string; actor: CaseActor; at?: Date }): Promise<AssignResult> {
  const { actor } = input;
  const at = input.at ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: agentCases.status, carrierId: agentCases.carrierId, firstRespondedAt: agentCases.firstRespondedAt, resolutionDueAt: agentCases.resolutionDueAt })
      .from(agentCases)
      .where(eq(agentCases.id, input.caseId))
      .for("update");
    if (!row) return { ok: false, error: "not_found" } as const;
    const allowed =
      actor.role === "admin" ||
      (actor.role === "supervisor" && actor.carrierId !== null && actor.carrierId === row.carrierId) ||
      (actor.role === "agent" && actor.carrierId !== null && actor.carrierId === row.carrierId && input.assigneeId === actor.id);
    if (!allowed) return { ok: false, error: "forbidden" } as const;
    if (isSettled(row.status)) return { ok: false, error: "settled" } as const;
    const [assignee] = row.carrierId
      ? await tx
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .where(and(eq(staffUsers.id, input.assigneeId), sql`${staffUsers.role} in ('agent', 'supervisor')`, eq(staffUsers.carrierId, row.carrierId), isNull(staffUsers.disabledAt)))
      : [];
    if (!assignee) return { ok: false, error: "not_staff_of_the_carrier" } as const;
    await tx.update(agentCases).set({ assignedTo: input.assigneeId }).where(eq(agentCases.id, input.caseId));
    await event(tx, { caseId: input.caseId, at, kind: "assigned", actorId: actor.id, assigneeId: input.assigneeId });
    if (input.assigneeId === actor.id) await firstResponse(tx, input.caseId, row, actor.id, at);
    await recordAudit(tx, { actorType: "staff", actorId: actor.id, action: "case.assigned", subjectType: "agent_case", subjectId: input.caseId, metadata: { assigneeId: input.assigneeId } });
    return { ok: true } as const;
  });
}

/** The first staff response: recorded once; from then on the resolution deadline applies. */
async function firstResponse(tx: DbOrTx, caseId: string, row: { firstRespondedAt: Date | null; resolutionDueAt: Date }, actorId: string, at: Date) {
  if (row.firstRespondedAt) return;
  await tx.update(agentCases).set({ firstRespondedAt: at, nextDueAt: row.resolutionDueAt }).where(eq(agentCases.id, caseId));
  await event(tx, { caseId, at, kind: "first_response", actorId });
}

export type TransitionResult = { ok: true; from: CaseStatus } | { ok: false; error: "not_found" | "illegal"; from?: CaseStatus };

/**
 * Moves a case to `to` if CASE_TRANSITIONS allows it from where it is (else `illegal`, nothing
 * changes). `actorId` null: the system. A staff move out of `open` is the first response.
 */
export async function transitionCase(db: DbOrTx, input: { caseId: string; to: CaseStatus; actorId: string | null; at: Date }): Promise<TransitionResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: agentCases.status, firstRespondedAt: agentCases.firstRespondedAt, resolutionDueAt: agentCases.resolutionDueAt })
      .from(agentCases)
      .where(eq(agentCases.id, input.caseId))
      .for("update");
    if (!row) return { ok: false, error: "not_found" } as const;
    if (!canTransition(row.status, input.to)) return { ok: false, error: "illegal", from: row.status } as const;
    await tx
      .update(agentCases)
      .set({ status: input.to, settledAt: isSettled(input.to) ? input.at : null })
      .where(eq(agentCases.id, input.caseId));
    await event(tx, { caseId: input.caseId, at: input.at, kind: "status", actorId: input.actorId, fromStatus: row.status, toStatus: input.to });
    if (input.actorId) {
      if (row.status === "open") await firstResponse(tx, input.caseId, row, input.actorId, input.at);
      await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: `case.${input.to}`, subjectType: "agent_case", subjectId: input.caseId, metadata: { from: row.status } });
    }
    return { ok: true, from: row.status } as const;
  });
}

/** A note or reply is one line of this many characters at most. */
export const NOTE_MAX_CHARS = 1000;

const clean = (text: string) =>
  text
    .replace(/[\u0000-\u001f\u007f\s]+/g, " ")
    .trim()
    .slice(0, NOTE_MAX_CHARS);

async function writeText(
  db: Db,
  input: { caseId: string; staffId: string; text: string; at: Date },
  kind: "note" | "reply",
  then?: (tx: Tx, eventId: string) => Promise<void>,
): Promise<string | null> {
  const text = clean(input.text);
  if (!text) return null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ firstRespondedAt: agentCases.firstRespondedAt, resolutionDueAt: agentCases.resolutionDueAt })
      .from(agentCases)
      .where(and(eq(agentCases.id, input.caseId), active))
      .for("update");
    if (!row) return null;
    const eventId = await event(tx, { caseId: input.caseId, at: input.at, kind, actorId: input.staffId, text });
    if (kind === "reply") await firstResponse(tx, input.caseId, row, input.staffId, input.at);
    await then?.(tx, eventId);
    // The audit log records that it was written, never the words.
    await recordAudit(tx, { actorType: "staff", actorId: input.staffId, action: kind === "note" ? "case.noted" : "case.replied", subjectType: "agent_case", subjectId: input.caseId });
    return eventId;
  });
}

/** An internal note on an active case (staff only ever read it). False when empty or the case is settled. */
export const noteCase = async (db: Db, input: { caseId: string; staffId: string; note: string; at: Date }) =>
  (await writeText(db, { caseId: input.caseId, staffId: input.staffId, text: input.note, at: input.at }, "note")) !== null;

/** A reply the owner reads, without an SMS (replyToOwner sends one). The first reply is a first response. */
export const replyCase = async (db: Db, input: { caseId: string; staffId: string; text: string; at: Date }) => (await writeText(db, input, "reply")) !== null;

/**
 * A reply the owner reads, and in the same transaction the SMS that tells them (outbox kind
 * `case_reply_sms`, keyed by the reply's event id; the SMS says a reply is waiting, not what it
 * says). The reply's event id, or null when the text is empty or the case is settled. Kick the
 * dispatcher after commit.
 */
export const replyToOwner = (db: Db, input: { caseId: string; staffId: string; text: string; at: Date }) =>
  writeText(db, input, "reply", async (tx, eventId) => {
    await tx.insert(outbox).values({ kind: "case_reply_sms", messageId: eventId, platformId: null, nextAttemptAt: input.at, createdAt: input.at });
  });

/** A timeline row: an agent confirmed (or corrected) the tenure start; the row's text is the date. */
export async function tenureConfirmedEvent(tx: DbOrTx, input: { caseId: string; actorId: string; startedAt: Date; at: Date }): Promise<void> {
  await event(tx, { caseId: input.caseId, at: input.at, kind: "tenure_confirmed", actorId: input.actorId, text: input.startedAt.toISOString() });
}

/**
 * The owner answers on their own active case; a case waiting for them moves back in progress.
 * False when the case is not theirs or is settled.
 */
export async function ownerReplyCase(db: Db, input: { caseId: string; ownerId: string; text: string; at: Date }): Promise<boolean> {
  const text = clean(input.text);
  if (!text) return false;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: agentCases.status })
      .from(agentCases)
      .where(and(eq(agentCases.id, input.caseId), eq(agentCases.ownerId, input.ownerId), active))
      .for("update");
    if (!row) return false;
    await event(tx, { caseId: input.caseId, at: input.at, kind: "owner_reply", text });
    if (row.status === "waiting_owner") await transitionCase(tx, { caseId: input.caseId, to: "in_progress", actorId: null, at: input.at });
    return true;
  });
}

/** Closes an active case; `actorId` when a person did it (audited). */
export async function closeCase(db: Db, input: { caseId: string; actorId?: string; at?: Date }): Promise<boolean> {
  const result = await transitionCase(db, { caseId: input.caseId, to: "closed", actorId: input.actorId ?? null, at: input.at ?? new Date() });
  return result.ok;
}

/** Closes every active case about a subject (a report that is over leaves the queue with it). */
export async function closeCasesOf(db: DbOrTx, subject: CaseSubject, at: Date = new Date()): Promise<number> {
  const { column, id } = subjectOf(subject);
  const open = await db.select({ id: agentCases.id }).from(agentCases).where(and(eq(column, id), active));
  let closed = 0;
  for (const c of open) if ((await transitionCase(db, { caseId: c.id, to: "closed", actorId: null, at })).ok) closed++;
  return closed;
}

/**
 * Takes an active case back off whoever holds it, into the carrier's unassigned work: a supervisor
 * of the case's carrier, or an admin. An `assigned` timeline row with no assignee, audited as
 * `case.unassigned`. Not a first response (nobody answered the owner).
 */
export async function unassignCase(db: Db, input: { caseId: string; actor: CaseActor; at?: Date }): Promise<AssignResult> {
  const { actor } = input;
  const at = input.at ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ status: agentCases.status, carrierId: agentCases.carrierId }).from(agentCases).where(eq(agentCases.id, input.caseId)).for("update");
    if (!row) return { ok: false, error: "not_found" } as const;
    const allowed = actor.role === "admin" || (actor.role === "supervisor" && actor.carrierId !== null && actor.carrierId === row.carrierId);
    if (!allowed) return { ok: false, error: "forbidden" } as const;
    if (isSettled(row.status)) return { ok: false, error: "settled" } as const;
    await tx.update(agentCases).set({ assignedTo: null }).where(eq(agentCases.id, input.caseId));
    await event(tx, { caseId: input.caseId, at, kind: "assigned", actorId: actor.id, assigneeId: null });
    await recordAudit(tx, { actorType: "staff", actorId: actor.id, action: "case.unassigned", subjectType: "agent_case", subjectId: input.caseId });
    return { ok: true } as const;
  });
}
