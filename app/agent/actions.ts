"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action, type ActionContext, type ActionState } from "@/lib/actions";
import { giveCase, routeToCarrier, takeCase, type QueueActionResult } from "@/lib/agent/queue";
import { areaGuard } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";

/**
 * The queue's actions. Each is a public endpoint: lib/agent/queue.ts checks the role and the
 * carrier scope again (another carrier's case, or no case, is "not found" and nothing changes),
 * and lib/cases writes the timeline and the audit row.
 */

const caseId = z.string().max(64);

async function answer(result: QueueActionResult, t: ActionContext<unknown, unknown>["t"], done: string): Promise<ActionState> {
  if (!result.ok) return { ok: false, message: t(`agentQueue.errors.${result.error}`) };
  revalidatePath("/agent");
  return { ok: true, message: done };
}

export const assignToMe = action(z.object({ caseId }), areaGuard("agent"), async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  return answer(await takeCase(handle.db, { caseId: data.caseId, actor: who, at: appClock().now() }), t, t("agentQueue.done.assignedToMe"));
});

export const assignCase = action(z.object({ caseId, assignee: z.string().max(64) }), areaGuard("agent"), async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  const result = await giveCase(handle.db, { caseId: data.caseId, assignee: data.assignee, actor: who, at: appClock().now() });
  return answer(result, t, t(data.assignee === "unassigned" ? "agentQueue.done.unassigned" : "agentQueue.done.assigned"));
});

export const routeCase = action(z.object({ caseId, carrier: z.string().max(32) }), areaGuard("agent"), async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  return answer(await routeToCarrier(handle.db, { caseId: data.caseId, carrier: data.carrier, actor: who, at: appClock().now() }), t, t("agentQueue.done.routed"));
});
