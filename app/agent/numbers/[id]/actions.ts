"use server";

import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { numberOfTenure } from "@/lib/agent/number-view";
import { recordAudit } from "@/lib/audit";
import { areaGuard } from "@/lib/auth/guards";
import { formatNumber } from "@/lib/phone/format";

/**
 * "Show full number" on an agent's number page: the carrier scope is checked again here (the
 * action is a public endpoint), the reveal is audited by tenure id, and the number goes back in
 * this response only; the page itself never holds it unmasked.
 */
export const revealNumber = action(z.object({ id: z.string().max(64) }), areaGuard("agent"), async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  const subject = await numberOfTenure(handle.db, data.id, who.carrierId);
  if (!subject) return { ok: false, message: t("agentNumbers.notFound") };
  await recordAudit(handle.db, { actorType: "staff", actorId: who.id, action: "number.revealed", subjectType: "number_tenure", subjectId: data.id });
  return { ok: true, meta: { number: formatNumber(subject.number) } };
});
