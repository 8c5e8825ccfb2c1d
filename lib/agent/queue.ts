import "server-only";
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, carriers, owners, platforms, staffUsers } from "@/db/schema";
import type { StaffSession } from "@/lib/auth/guards";
import { assignCase, routeCase, unassignCase, type AssignResult, type CaseActor } from "@/lib/cases/cases";
import type { QueueRow } from "@/lib/cases/queries";
import { maskNumber } from "@/lib/phone/mask";
import type { LabelledPlatform } from "@/lib/platforms/labels";
import { isUuid } from "./queue-params";

/**
 * The agent queue (app/agent) beyond what lib/cases gives: the names a row shows, the team a
 * supervisor assigns to, and the queue's three actions with the carrier scope checked again on
 * the server — a case of another carrier, or an id that is no case, is "not found" and nothing is
 * written, the same answer for both.
 */

export type QueueViewRow = QueueRow & { assigneeName: string | null; platform: LabelledPlatform | null; maskedNumber: string | null };

/**
 * The queue's rows with their assignee's display name, their platform (to label) and the owner's
 * number masked (`138****8000`: what an agent matches a caller or a case with; the full number is
 * on the case page behind an audited reveal): three lookups by id.
 */
export async function withNames(db: Db, rows: QueueRow[]): Promise<QueueViewRow[]> {
  const staffIds = [...new Set(rows.flatMap((r) => (r.assignedTo ? [r.assignedTo] : [])))];
  const platformIds = [...new Set(rows.flatMap((r) => (r.platformId ? [r.platformId] : [])))];
  const ownerIds = [...new Set(rows.flatMap((r) => (r.ownerId ? [r.ownerId] : [])))];
  const [names, platformRows, numbers] = await Promise.all([
    staffIds.length ? db.select({ id: staffUsers.id, name: staffUsers.displayName }).from(staffUsers).where(inArray(staffUsers.id, staffIds)) : [],
    platformIds.length
      ? db
          .select({ id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn, category: platforms.category, disclosure: platforms.disclosure })
          .from(platforms)
          .where(inArray(platforms.id, platformIds))
      : [],
    ownerIds.length ? db.select({ id: owners.id, number: owners.number }).from(owners).where(inArray(owners.id, ownerIds)) : [],
  ]);
  const numberOf = new Map(numbers.map((o) => [o.id, maskNumber(o.number)]));
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const platformOf = new Map(platformRows.map((p) => [p.id, p]));
  return rows.map((r) => ({
    ...r,
    assigneeName: r.assignedTo ? (nameOf.get(r.assignedTo) ?? null) : null,
    platform: r.platformId ? (platformOf.get(r.platformId) ?? null) : null,
    maskedNumber: r.ownerId ? (numberOf.get(r.ownerId) ?? null) : null,
  }));
}

/** The enabled agents and supervisors of a carrier, by name: whom a supervisor may give a case to. */
export function carrierTeam(db: Db, carrierId: string) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.displayName, role: staffUsers.role })
    .from(staffUsers)
    .where(and(eq(staffUsers.carrierId, carrierId), or(eq(staffUsers.role, "agent"), eq(staffUsers.role, "supervisor")), isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.displayName), asc(staffUsers.id));
}

export function listCarriers(db: Db) {
  return db.select({ id: carriers.id, code: carriers.code, nameZh: carriers.nameZh, nameEn: carriers.nameEn }).from(carriers).orderBy(asc(carriers.code));
}

/**
 * Whose queue the page shows: an agent's or supervisor's own carrier, always (whatever the URL
 * says); an admin's choice by code, or none until they choose.
 */
export async function queueCarrier(db: Db, viewer: Pick<StaffSession, "carrierId">, code?: string) {
  const all = await listCarriers(db);
  if (viewer.carrierId) return { carrier: all.find((c) => c.id === viewer.carrierId) ?? null, all };
  return { carrier: code ? (all.find((c) => c.code === code) ?? null) : null, all };
}

export type QueueActionResult = AssignResult | { ok: false; error: "unknown_carrier" };

/** The case, if the actor may see it: their carrier's (an admin: any). Else null, for "not found". */
async function caseInScope(db: Db, caseId: string, actor: CaseActor) {
  if (!isUuid(caseId)) return null;
  const [row] = await db.select({ id: agentCases.id, carrierId: agentCases.carrierId }).from(agentCases).where(eq(agentCases.id, caseId));
  if (!row) return null;
  if (actor.role === "admin") return row;
  return actor.carrierId !== null && row.carrierId === actor.carrierId ? row : null;
}

/** "Assign to me": an agent or supervisor takes an active case of their own carrier. */
export async function takeCase(db: Db, input: { caseId: string; actor: CaseActor; at: Date }): Promise<QueueActionResult> {
  const { actor } = input;
  if (actor.role !== "agent" && actor.role !== "supervisor") return { ok: false, error: "forbidden" };
  if (!(await caseInScope(db, input.caseId, actor))) return { ok: false, error: "not_found" };
  return assignCase(db, { caseId: input.caseId, assigneeId: actor.id, actor, at: input.at });
}

/**
 * A supervisor gives an active case of their carrier to someone of their team, or back to nobody
 * (`"unassigned"`); an admin may do the same for any carrier's case. An agent may not.
 */
export async function giveCase(db: Db, input: { caseId: string; assignee: string; actor: CaseActor; at: Date }): Promise<QueueActionResult> {
  const { actor } = input;
  if (actor.role !== "supervisor" && actor.role !== "admin") return { ok: false, error: "forbidden" };
  if (!(await caseInScope(db, input.caseId, actor))) return { ok: false, error: "not_found" };
  if (input.assignee === "unassigned") return unassignCase(db, { caseId: input.caseId, actor, at: input.at });
  if (!isUuid(input.assignee)) return { ok: false, error: "not_staff_of_the_carrier" };
  return assignCase(db, { caseId: input.caseId, assigneeId: input.assignee, actor, at: input.at });
}

/** An admin sends an active case (from the unassigned queue, or another carrier's) to a carrier, by code. */
export async function routeToCarrier(db: Db, input: { caseId: string; carrier: string; actor: CaseActor; at: Date }): Promise<QueueActionResult> {
  if (input.actor.role !== "admin") return { ok: false, error: "forbidden" };
  if (!(await caseInScope(db, input.caseId, input.actor))) return { ok: false, error: "not_found" };
  const [carrier] = await db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, input.carrier));
  if (!carrier) return { ok: false, error: "unknown_carrier" };
  const routed = await routeCase(db, { caseId: input.caseId, carrierId: carrier.id, actorId: input.actor.id, at: input.at });
  return routed ? { ok: true } : { ok: false, error: "settled" };
}
