"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { logServerError } from "@/lib/errors";
import { giveConsentAndStartLookup, lookupConfig, runLookup, withdrawConsent } from "@/lib/platforms/lookup";
import { scheduleRetries } from "@/lib/platforms/lookup-stream";

const consentSchema = z.object({
  agree: z.literal("on", { message: "lookup.consent.required" }),
  // The platforms the owner was shown, in one field: consent covers exactly these.
  platforms: z.string().transform((v) => v.split(",").filter((id) => z.uuid().safeParse(id).success)),
});

/**
 * "Agree and check": the separate, explicit consent (PIPL art. 23) to send the number to the listed
 * platforms, recorded before anything is sent, and then the check itself, in one submit. The
 * platforms are asked after the response; the page shows their answers as they are saved.
 */
export const giveConsentAction = action(consentSchema, ownerWithTenure, async ({ data, who, t }) => {
  if (!who.tenure) return { ok: false, message: t("lookup.check.noTenure") };
  const { handle } = await prepareDatabase();
  const clock = appClock();
  const config = lookupConfig();
  const result = await giveConsentAndStartLookup(handle.db, {
    ownerId: who.id,
    tenureId: who.tenure.id,
    number: who.number,
    platformIds: data.platforms,
    now: clock.now(),
    config,
  });
  if (!result.consent.ok) return { ok: false, message: t("lookup.consent.changed") };
  const started = result.lookup;
  if (started?.ok) {
    const options = { config, clock };
    after(() =>
      runLookup(handle.db, started.lookupId, options)
        .then(() => scheduleRetries(handle.db, started.lookupId, options))
        // By code only: messages from the database driver can carry the number.
        .catch((error: unknown) => logServerError("lookup", error)),
    );
  }
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.saved") };
});

export const withdrawConsentAction = action(z.object({}), ownerWithTenure, async ({ who, t }) => {
  const { handle } = await prepareDatabase();
  if (who.tenure) await withdrawConsent(handle.db, { ownerId: who.id, tenureId: who.tenure.id, now: appClock().now() });
  revalidatePath("/me/platforms");
  return { ok: true, message: t("lookup.consent.withdrawn") };
});
