import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import type { CaseStatus } from "@/db/enums";
import { platforms, reports, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { noteCase, replyToOwner, tenureConfirmedEvent, transitionCase } from "@/lib/cases/cases";
import { inCurrentHolding } from "@/lib/cases/owner";
import { canTransition, isSettled } from "@/lib/cases/status";
import { rearmOutbox } from "@/lib/outbox/rearm";
import { confirmTenureStart } from "@/lib/tenure";
import { resendUnbindItem, type ResendResult } from "@/lib/unbind/resend";
import { caseTenure, scopedCase, type ScopedCase } from "./case-view";

/**
 * What an agent does on the case page (app/agent/cases/[id]/actions.ts is the thin layer over
 * this). Every operation finds the case within the actor's carrier scope first — another
 * carrier's case or an unknown id is `not_found` and nothing is written — and a settled case
 * refuses every change except being reopened. Each change writes an audit row (lib/cases/cases.ts
 * for its own moves, here for the rest); nothing here logs a number or a text.
 */

export interface CaseWorker {
  id: string;
  carrierId: string | null;
}

type Refusal<E extends string> = { ok: false; error: E; from?: CaseStatus };
type Result<E extends string> = { ok: true } | Refusal<"not_found" | "settled" | E>;

async function activeCase(db: Db, caseId: string, actor: CaseWorker): Promise<ScopedCase | Refusal<"not_found" | "settled">> {
  const c = await scopedCase(db, caseId, actor.carrierId);
  if (!c) return { ok: false, error: "not_found" };
  if (isSettled(c.status)) return { ok: false, error: "settled" };
  return c;
}
const refused = (c: ScopedCase | Refusal<string>): c is Refusal<"not_found" | "settled"> => "ok" in c;

/** Moves the case to waiting_platform unless it is there already (a re-send and a contact both wait for the platform). */
async function waitForPlatform(db: Db, c: ScopedCase, actor: CaseWorker, at: Date) {
  if (canTransition(c.status, "waiting_platform")) await transitionCase(db, { caseId: c.id, to: "waiting_platform", actorId: actor.id, at });
}

/** The statuses an agent sets from the page; `in_progress` on a settled case is "reopen". */
export const AGENT_STATUSES = ["in_progress", "waiting_platform", "waiting_owner", "resolved", "closed"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** In progress, waiting, resolve, close, or reopen (a settled case to in_progress): the status machine decides (`illegal`). */
export async function setCaseStatus(db: Db, input: { caseId: string; to: AgentStatus; actor: CaseWorker; at: Date }): Promise<Result<"illegal">> {
  const c = await scopedCase(db, input.caseId, input.actor.carrierId);
  if (!c) return { ok: false, error: "not_found" };
  const moved = await transitionCase(db, { caseId: c.id, to: input.to, actorId: input.actor.id, at: input.at });
  return moved.ok ? { ok: true } : { ok: false, error: moved.error, from: moved.from };
}

/** An internal note (staff only ever read it). */
export async function addNote(db: Db, input: { caseId: string; text: string; actor: CaseWorker; at: Date }): Promise<Result<"empty">> {
  const c = await activeCase(db, input.caseId, input.actor);
  if (refused(c)) return c;
  return (await noteCase(db, { caseId: c.id, staffId: input.actor.id, note: input.text, at: input.at })) ? { ok: true } : { ok: false, error: "empty" };
}

/**
 * A reply the owner reads on their page, with the SMS that tells them (never the reply itself).
 * `waitForOwner`: the case then waits for the owner's answer. Kick the dispatcher after.
 */
export async function replyOwner(db: Db, input: { caseId: string; text: string; waitForOwner: boolean; actor: CaseWorker; at: Date }): Promise<Result<"empty" | "no_owner" | "moved_on">> {
  const c = await activeCase(db, input.caseId, input.actor);
  if (refused(c)) return c;
  // An erased owner has no number to text and no page to read it on.
  if (!c.ownerId) return { ok: false, error: "no_owner" };
  // The number changed hands since the case was opened: today's holder must not be texted about it.
  if (!(await inCurrentHolding(db, c.id))) return { ok: false, error: "moved_on" };
  const eventId = await replyToOwner(db, { caseId: c.id, staffId: input.actor.id, text: input.text, at: input.at });
  if (!eventId) return { ok: false, error: "empty" };
  if (input.waitForOwner) {
    const fresh = await scopedCase(db, c.id, input.actor.carrierId);
    if (fresh && canTransition(fresh.status, "waiting_owner")) await transitionCase(db, { caseId: c.id, to: "waiting_owner", actorId: input.actor.id, at: input.at });
  }
  return { ok: true };
}

export type ResendError = Extract<ResendResult, { ok: false }>["error"];

/**
 * Sends one item of the case's own batch again (lib/unbind/resend.ts: same requestId, a fresh
 * retry budget), audited `unbind.resent` (subject the item), and the case waits for the platform.
 */
export async function resendItem(db: Db, input: { caseId: string; itemId: string; actor: CaseWorker; at: Date }): Promise<Result<ResendError>> {
  const c = await activeCase(db, input.caseId, input.actor);
  if (refused(c)) return c;
  if (!c.unbindItemId) return { ok: false, error: "not_found" };
  // Only an item of this case's own batch: another batch's item is not this case's to touch.
  const [own, asked] = await Promise.all([
    db.select({ batchId: unbindItems.batchId }).from(unbindItems).where(eq(unbindItems.id, c.unbindItemId)),
    /^[0-9a-f-]{36}$/i.test(input.itemId) ? db.select({ batchId: unbindItems.batchId }).from(unbindItems).where(eq(unbindItems.id, input.itemId)) : Promise.resolve([]),
  ]);
  if (!own[0] || !asked[0] || own[0].batchId !== asked[0].batchId) return { ok: false, error: "not_found" };
  const sent = await resendUnbindItem(db, { itemId: input.itemId, at: input.at });
  if (!sent.ok) return sent;
  await recordAudit(db, { actorType: "staff", actorId: input.actor.id, action: "unbind.resent", subjectType: "unbind_item", subjectId: input.itemId, metadata: { caseId: c.id } });
  await waitForPlatform(db, c, input.actor, input.at);
  return { ok: true };
}

export const CONTACT_METHODS = ["protocol", "called", "emailed", "other"] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/**
 * "Contact the platform". Through the protocol (`protocol`), for a participating (active)
 * platform: the case's unbind item is re-sent, or its report re-sent through its own outbox row
 * (same reportId); any other platform refuses it (`not_participating`). Otherwise what the agent
 * did (called, emailed, other) is an internal note, `label` being the method in the agent's words.
 * Either way the case then waits for the platform.
 */
export async function contactPlatform(
  db: Db,
  input: { caseId: string; method: ContactMethod; text: string; label: string; actor: CaseWorker; at: Date },
): Promise<Result<ResendError | "not_participating" | "empty">> {
  const c = await activeCase(db, input.caseId, input.actor);
  if (refused(c)) return c;
  if (input.method !== "protocol") {
    if (!input.text.trim()) return { ok: false, error: "empty" };
    if (!(await noteCase(db, { caseId: c.id, staffId: input.actor.id, note: `${input.label}: ${input.text}`, at: input.at }))) return { ok: false, error: "empty" };
    await recordAudit(db, { actorType: "staff", actorId: input.actor.id, action: "case.platform_contacted", subjectType: "agent_case", subjectId: c.id, metadata: { method: input.method } });
    await waitForPlatform(db, c, input.actor, input.at);
    return { ok: true };
  }
  const platformId = c.platformId;
  const [platform] = platformId ? await db.select({ status: platforms.status }).from(platforms).where(eq(platforms.id, platformId)) : [];
  if (!platform || platform.status !== "active") return { ok: false, error: "not_participating" };
  if (c.unbindItemId) return resendItem(db, { caseId: c.id, itemId: c.unbindItemId, actor: input.actor, at: input.at });
  if (c.reportId) {
    const reportId = c.reportId;
    const rearmed = await db.transaction(async (tx) => {
      const [report] = await tx.select({ platformId: reports.platformId, closedAt: reports.closedAt }).from(reports).where(eq(reports.id, reportId));
      // Only to the platform the report was for; a closed report is not sent anywhere any more.
      if (!report || report.closedAt || report.platformId !== platformId) return "missing" as const;
      return rearmOutbox(tx, reportId, input.at);
    });
    if (rearmed === "missing") return { ok: false, error: "not_participating" };
    if (rearmed === "in_flight") return { ok: false, error: "in_flight" };
    await recordAudit(db, { actorType: "staff", actorId: input.actor.id, action: "report.resent", subjectType: "report", subjectId: reportId, metadata: { caseId: c.id } });
    await waitForPlatform(db, c, input.actor, input.at);
    return { ok: true };
  }
  return { ok: false, error: "not_participating" };
}

/**
 * Confirms the tenure start the case is about, or corrects it (`startedAt`): the tenure becomes
 * `agent_confirmed` (the owner's page says "confirmed by carrier customer service"), a
 * `tenure_confirmed` timeline row, an audit row `tenure.confirmed` with the dates (no number),
 * and, with `resolve`, the case is resolved. For a `tenure_review` or `manual` case only.
 */
export async function confirmTenure(
  db: Db,
  input: { caseId: string; startedAt?: Date; resolve: boolean; actor: CaseWorker; at: Date },
): Promise<Result<"future" | "too_old" | "not_tenure_case" | "illegal">> {
  const c = await activeCase(db, input.caseId, input.actor);
  if (refused(c)) return c;
  if (c.kind !== "tenure_review" && c.kind !== "manual") return { ok: false, error: "not_tenure_case" };
  const tenure = await caseTenure(db, c);
  // The tenure must be the case carrier's (or of no carrier yet: a self-declared one without a known prefix).
  if (!tenure || (tenure.carrierId !== null && tenure.carrierId !== c.carrierId)) return { ok: false, error: "not_found" };
  const confirmed = await db.transaction(async (tx) => {
    const result = await confirmTenureStart(tx, { tenureId: tenure.id, startedAt: input.startedAt, now: input.at });
    if (!result.ok) return result;
    await tenureConfirmedEvent(tx, { caseId: c.id, actorId: input.actor.id, startedAt: result.startedAt, at: input.at });
    await recordAudit(tx, {
      actorType: "staff",
      actorId: input.actor.id,
      action: "tenure.confirmed",
      subjectType: "number_tenure",
      subjectId: tenure.id,
      metadata: { caseId: c.id, previousStartedAt: result.previousStartedAt.toISOString(), startedAt: result.startedAt.toISOString(), previousSource: result.previousSource },
    });
    return result;
  });
  if (!confirmed.ok) return confirmed.error === "not_found" ? { ok: false, error: "not_found" } : { ok: false, error: confirmed.error };
  if (input.resolve) {
    const moved = await transitionCase(db, { caseId: c.id, to: "resolved", actorId: input.actor.id, at: input.at });
    if (!moved.ok) return { ok: false, error: "illegal", from: moved.from };
  }
  return { ok: true };
}
