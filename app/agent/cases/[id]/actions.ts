"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action, type ActionState } from "@/lib/actions";
import { caseTenure, revealCaseReport, scopedCase } from "@/lib/agent/case-view";
import { addNote, AGENT_STATUSES, confirmTenure, CONTACT_METHODS, contactPlatform, replyOwner, resendItem, setCaseStatus } from "@/lib/agent/case-work";
import { revealTenureNumber } from "@/lib/agent/number-view";
import { areaGuard } from "@/lib/auth/guards";
import { NOTE_MAX_CHARS } from "@/lib/cases/cases";
import { appClock } from "@/lib/clock";
import { kickDispatcher } from "@/lib/outbox/runner";
import { formatNumber } from "@/lib/phone/format";

/**
 * The case page's actions. Each is a public endpoint: the guard admits agents, supervisors and
 * admins, and lib/agent/case-work.ts finds the case within the caller's carrier again (another
 * carrier's case or an unknown id is "not found", nothing written). Every change is audited there.
 */

const id = z.string().max(64);
const text = z.string().trim().max(NOTE_MAX_CHARS, "agentCase.errors.tooLong");
const guard = areaGuard("agent");

type Translate = Parameters<Parameters<typeof action>[2]>[0]["t"];
type Refusal = { ok: false; error: string; from?: string };

/** A refusal from lib/agent/case-work.ts in the agent's words. */
function refusal(t: Translate, result: Refusal): ActionState {
  // Codes come from the library's result types; one without a message reads as unexpected.
  const say = t as unknown as ((key: string, values?: Record<string, string>) => string) & { has(key: string): boolean };
  const key = `agentCase.errors.${result.error}`;
  return { ok: false, message: say.has(key) ? say(key, { from: result.from ? say(`agentCase.status.${result.from}`) : "" }) : say("agentCase.errors.unexpected") };
}

function done(caseId: string, message: string): ActionState {
  revalidatePath(`/agent/cases/${caseId}`);
  return { ok: true, message };
}

const db = async () => (await prepareDatabase()).handle.db;
const now = () => appClock().now();

export const changeCaseStatus = action(z.object({ id, to: z.enum(AGENT_STATUSES) }), guard, async ({ data, who, t }) => {
  const result = await setCaseStatus(await db(), { caseId: data.id, to: data.to, actor: who, at: now() });
  return result.ok ? done(data.id, t("agentCase.done.status", { status: t(`agentCase.status.${data.to}`) })) : refusal(t, result);
});

export const addCaseNote = action(
  z.object({ id, text: text.min(1, "agentCase.errors.empty") }),
  guard,
  async ({ data, who, t }) => {
    const result = await addNote(await db(), { caseId: data.id, text: data.text, actor: who, at: now() });
    return result.ok ? done(data.id, t("agentCase.done.note")) : refusal(t, result);
  },
  { keep: ["text"] },
);

export const replyToCaseOwner = action(
  z.object({ id, text: text.min(1, "agentCase.errors.empty"), wait: z.literal("on").optional() }),
  guard,
  async ({ data, who, t }) => {
    const result = await replyOwner(await db(), { caseId: data.id, text: data.text, waitForOwner: data.wait === "on", actor: who, at: now() });
    if (!result.ok) return refusal(t, result);
    kickDispatcher();
    return done(data.id, t("agentCase.done.reply"));
  },
  { keep: ["text", "wait"] },
);

export const resendCaseItem = action(z.object({ id, itemId: id }), guard, async ({ data, who, t }) => {
  const result = await resendItem(await db(), { caseId: data.id, itemId: data.itemId, actor: who, at: now() });
  if (!result.ok) return refusal(t, result);
  kickDispatcher();
  return done(data.id, t("agentCase.done.resent"));
});

export const contactCasePlatform = action(
  z.object({ id, method: z.enum(CONTACT_METHODS), text: text.optional().default("") }),
  guard,
  async ({ data, who, t }) => {
    if (data.method !== "protocol" && !data.text) return { ok: false, message: t("forms.fixErrors"), fieldErrors: { text: t("agentCase.errors.contactText") } };
    const label = t(`agentCase.contact.method.${data.method}`);
    const result = await contactPlatform(await db(), { caseId: data.id, method: data.method, text: data.text, label, actor: who, at: now() });
    if (!result.ok) return refusal(t, result);
    if (data.method === "protocol") kickDispatcher();
    return done(data.id, t(data.method === "protocol" ? "agentCase.done.resent" : "agentCase.done.contact"));
  },
  { keep: ["method", "text"] },
);

/** A date as the form sends it (YYYY-MM-DD), read as midnight in China, where the numbers are. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "agentCase.errors.date")
  .refine((v) => !Number.isNaN(new Date(`${v}T00:00:00+08:00`).getTime()), "agentCase.errors.date");

export const confirmCaseTenure = action(
  z.object({ id, startedAt: z.union([z.literal(""), day]).optional(), resolve: z.literal("on").optional() }),
  guard,
  async ({ data, who, t }) => {
    const startedAt = data.startedAt ? new Date(`${data.startedAt}T00:00:00+08:00`) : undefined;
    const result = await confirmTenure(await db(), { caseId: data.id, startedAt, resolve: data.resolve === "on", actor: who, at: now() });
    if (!result.ok) {
      const state = refusal(t, result);
      return result.error === "future" || result.error === "too_old" ? { ...state, fieldErrors: { startedAt: state.message! } } : state;
    }
    return done(data.id, t(startedAt ? "agentCase.done.tenureCorrected" : "agentCase.done.tenureConfirmed"));
  },
  { keep: ["startedAt", "resolve"] },
);

/** "Show full number": the case's tenure, checked against the carrier again; audited `number.revealed`. */
export const revealCaseNumber = action(z.object({ id }), guard, async ({ data, who, t }) => {
  const database = await db();
  const c = await scopedCase(database, data.id, who.carrierId);
  const tenure = c ? await caseTenure(database, c) : null;
  const number = tenure ? await revealTenureNumber(database, tenure.id, { staffId: who.id, scope: who.carrierId }) : null;
  if (!number) return { ok: false, message: t("agentCase.errors.not_found") };
  return { ok: true, meta: { number: formatNumber(number) } };
});

/** A report's full text, for the agent its case is assigned to; audited `report.revealed`. */
export const revealCaseReportText = action(z.object({ id, reportId: id }), guard, async ({ data, who, t }) => {
  const result = await revealCaseReport(await db(), { caseId: data.id, reportId: data.reportId, reader: { staffId: who.id, scope: who.carrierId } });
  if (!result.ok) return refusal(t, result);
  return { ok: true, meta: { text: result.text } };
});
