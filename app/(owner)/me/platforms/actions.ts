"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { currentTenure } from "@/db/queries/owner-number";
import { prepareDatabase } from "@/db/startup";
import { formAction } from "@/lib/actions";
import { requireOwner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { giveConsent, withdrawConsent } from "@/lib/platforms/lookup";

const consentSchema = z.object({
  agree: z.literal("on", { message: "lookup.consent.required" }),
  // The platforms the owner was shown, in one field: consent covers exactly these.
  platforms: z.string().transform((v) => v.split(",").filter((id) => z.uuid().safeParse(id).success)),
});

/** The separate, explicit consent (PIPL art. 23) to send the number to the listed platforms. */
export const giveConsentAction = formAction(consentSchema, {}, async (data, t) => {
  const owner = await requireOwner();
  const { handle } = await prepareDatabase();
  const tenure = await currentTenure(handle.db, owner.number!);
  if (!tenure) return { ok: false, message: t("lookup.check.noTenure") };
  const result = await giveConsent(handle.db, { ownerId: owner.id, tenureId: tenure.id, platformIds: data.platforms, now: appClock().now() });
  if (!result.ok) return { ok: false, message: t("lookup.consent.changed") };
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.saved") };
});

export const withdrawConsentAction = formAction(z.object({}), {}, async (_data, t) => {
  const owner = await requireOwner();
  const { handle } = await prepareDatabase();
  const tenure = await currentTenure(handle.db, owner.number!);
  if (tenure) await withdrawConsent(handle.db, { ownerId: owner.id, tenureId: tenure.id, now: appClock().now() });
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.withdrawn") };
});
