"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { giveConsent, withdrawConsent } from "@/lib/platforms/lookup";

const consentSchema = z.object({
  agree: z.literal("on", { message: "lookup.consent.required" }),
  // The platforms the owner was shown, in one field: consent covers exactly these.
  platforms: z.string().transform((v) => v.split(",").filter((id) => z.uuid().safeParse(id).success)),
});

/** The separate, explicit consent (PIPL art. 23) to send the number to the listed platforms. */
export const giveConsentAction = action(consentSchema, ownerWithTenure, async ({ data, who, t }) => {
  if (!who.tenure) return { ok: false, message: t("lookup.check.noTenure") };
  const { handle } = await prepareDatabase();
  const result = await giveConsent(handle.db, { ownerId: who.id, tenureId: who.tenure.id, platformIds: data.platforms, now: appClock().now() });
  if (!result.ok) return { ok: false, message: t("lookup.consent.changed") };
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.saved") };
});

export const withdrawConsentAction = action(z.object({}), ownerWithTenure, async ({ who, t }) => {
  const { handle } = await prepareDatabase();
  if (who.tenure) await withdrawConsent(handle.db, { ownerId: who.id, tenureId: who.tenure.id, now: appClock().now() });
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.withdrawn") };
});
