import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, carriers, caseKind, owners, staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { carrierFromPrefix } from "@/lib/phone/carrier";

/**
 * Agent cases: work for a carrier's customer service. This is the one module that writes them —
 * opens (once: an open case of a kind for a subject is not opened twice), routes, assigns, notes
 * and closes. Reading them for a queue is lib/cases/queries.ts.
 */
export type CaseKind = (typeof caseKind.enumValues)[number];
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type DbOrTx = Db | Tx;

/** What a case is about: one unbind item or one report. */
export type CaseSubject = { unbindItemId: string } | { reportId: string };

const subjectColumn = (subject: CaseSubject) => ("reportId" in subject ? agentCases.reportId : agentCases.unbindItemId);
const subjectId = (subject: CaseSubject) => ("reportId" in subject ? subject.reportId : subject.unbindItemId);

export interface OpenCaseInput {
  kind: CaseKind;
  subject: CaseSubject;
  ownerId: string | null;
  platformId: string | null;
  /** The tenure's carrier. Null: the carrier the number's prefix belongs to, else the unassigned queue. */
  carrierId: string | null;
  /** The number, for its prefix when the carrier is not known; read from the owner when not given. */
  number?: string | null;
  /** Why, as a code (`endpoint_gone`, `http_503`, `no_callback`, …). Agents' notes are appended. */
  detail?: string | null;
  at: Date;
}

/**
 * Opens a case, unless one of the same kind for the same subject is open: then that one is
 * returned (`opened: false`). Concurrent openers of the same case queue on an advisory lock held
 * to the end of the caller's transaction, so it is opened once.
 */
export async function openCase(db: DbOrTx, input: OpenCaseInput): Promise<{ id: string; opened: boolean }> {
  const column = subjectColumn(input.subject);
  const id = subjectId(input.subject);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`agent_case:${input.kind}:${id}`}, 0))`);
    const open = async () =>
      (await tx.select({ id: agentCases.id }).from(agentCases).where(and(eq(agentCases.kind, input.kind), eq(column, id), eq(agentCases.status, "open"))).limit(1))[0];
    const existing = await open();
    if (existing) return { id: existing.id, opened: false };
    const carrierId = input.carrierId ?? (await carrierFor(tx, { number: input.number, ownerId: input.ownerId }));
    const [row] = await tx
      .insert(agentCases)
      .values({
        kind: input.kind,
        carrierId,
        ownerId: input.ownerId,
        platformId: input.platformId,
        ...("reportId" in input.subject ? { reportId: id } : { unbindItemId: id }),
        detail: input.detail ?? null,
        createdAt: input.at,
      })
      // A report is open in the queue at most once whatever the kind (a unique index says so).
      .onConflictDoNothing()
      .returning({ id: agentCases.id });
    if (row) return { id: row.id, opened: true };
    const other = await tx.select({ id: agentCases.id }).from(agentCases).where(and(eq(column, id), eq(agentCases.status, "open"))).limit(1);
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

/** An admin sends a case from the unassigned queue (or another carrier's) to a carrier. */
export async function routeCase(db: Db, input: { caseId: string; carrierId: string; actorId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const routed = await tx
      .update(agentCases)
      // Another carrier's agent keeps no hold on it.
      .set({ carrierId: input.carrierId, assignedTo: null })
      .where(and(eq(agentCases.id, input.caseId), eq(agentCases.status, "open")))
      .returning({ id: agentCases.id });
    if (routed.length === 0) return false;
    await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: "case.routed", subjectType: "agent_case", subjectId: input.caseId, metadata: { carrierId: input.carrierId } });
    return true;
  });
}

export type AssignResult = { ok: true } | { ok: false; error: "not_found" | "closed" | "not_an_agent_of_the_carrier" };

/**
 * Gives an open case to an agent of its carrier (only they, and the owner, may read a report's
 * text and files). `actorId`: who did it — the agent taking it, or an admin.
 */
export async function assignCase(db: Db, input: { caseId: string; agentId: string; actorId: string }): Promise<AssignResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ status: agentCases.status, carrierId: agentCases.carrierId }).from(agentCases).where(eq(agentCases.id, input.caseId)).for("update");
    if (!row) return { ok: false, error: "not_found" } as const;
    if (row.status !== "open") return { ok: false, error: "closed" } as const;
    const [agent] = row.carrierId
      ? await tx
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .where(and(eq(staffUsers.id, input.agentId), eq(staffUsers.role, "agent"), eq(staffUsers.carrierId, row.carrierId), isNull(staffUsers.disabledAt)))
      : [];
    if (!agent) return { ok: false, error: "not_an_agent_of_the_carrier" } as const;
    await tx.update(agentCases).set({ assignedTo: input.agentId }).where(eq(agentCases.id, input.caseId));
    await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: "case.assigned", subjectType: "agent_case", subjectId: input.caseId, metadata: { agentId: input.agentId } });
    return { ok: true } as const;
  });
}

/** A note is one line of this many characters at most. */
export const NOTE_MAX_CHARS = 1000;

/**
 * An agent's note on an open case, appended to its `detail` as `[time] staff <id>: text` (no
 * migration: a notes table can replace this once the agent console needs more). The text is
 * the agent's own words: it never goes to the audit log, which records only that a note was made.
 */
export async function noteCase(db: Db, input: { caseId: string; staffId: string; note: string; at: Date }): Promise<boolean> {
  const text = input.note.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim().slice(0, NOTE_MAX_CHARS);
  if (!text) return false;
  const line = `[${input.at.toISOString()}] staff ${input.staffId}: ${text}`;
  return db.transaction(async (tx) => {
    const noted = await tx
      .update(agentCases)
      .set({ detail: sql`case when ${agentCases.detail} is null or ${agentCases.detail} = '' then ${line} else ${agentCases.detail} || E'\n' || ${line} end` })
      .where(and(eq(agentCases.id, input.caseId), eq(agentCases.status, "open")))
      .returning({ id: agentCases.id });
    if (noted.length === 0) return false;
    await recordAudit(tx, { actorType: "staff", actorId: input.staffId, action: "case.noted", subjectType: "agent_case", subjectId: input.caseId });
    return true;
  });
}

/** Closes an open case; `actorId` when a person did it (audited). */
export async function closeCase(db: Db, input: { caseId: string; actorId?: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const closed = await tx
      .update(agentCases)
      .set({ status: "closed" })
      .where(and(eq(agentCases.id, input.caseId), eq(agentCases.status, "open")))
      .returning({ id: agentCases.id });
    if (closed.length === 0) return false;
    if (input.actorId) await recordAudit(tx, { actorType: "staff", actorId: input.actorId, action: "case.closed", subjectType: "agent_case", subjectId: input.caseId });
    return true;
  });
}

/** Closes every open case about a subject (a report that is over leaves the queue with it). */
export async function closeCasesOf(db: DbOrTx, subject: CaseSubject): Promise<number> {
  const closed = await db
    .update(agentCases)
    .set({ status: "closed" })
    .where(and(eq(subjectColumn(subject), subjectId(subject)), eq(agentCases.status, "open")))
    .returning({ id: agentCases.id });
  return closed.length;
}
