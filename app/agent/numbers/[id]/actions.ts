"use server";

import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { revealTenureNumber } from "@/lib/agent/number-view";
import { areaGuard } from "@/lib/auth/guards";
import { formatNumber } from "@/lib/phone/format";

/**
 * "Show full number" on an agent's number page: the carrier scope is checked again here (the
 * action is a public endpoint), the reveal is audited by tenure id, and the number goes back in
 * this response only; the page itself never holds it unmasked.
 */
export const revealNumber = action(z.object({ id: z.string().max(64) }), areaGuard("agent"), async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  const number = await revealTenureNumber(handle.db, data.id, { staffId: who.id, scope: who.carrierId });
  if (!number) return { ok: false, message: t("agentNumbers.notFound") };
  return { ok: true, meta: { number: formatNumber(number) } };
});
