"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { formAction } from "@/lib/actions";
import { requireOwner } from "@/lib/auth/guards";
import { endAllSessions, endSession } from "@/lib/auth/sign-out";
import { appClock } from "@/lib/clock";
import { declareTenure } from "@/lib/tenure";

const schema = z.object({
  startedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "me.declareErrors.date" }),
});

/** "Tell us when you got this number": saved for the signed-in owner's own number only. */
export const declareTenureAction = formAction(schema, { keep: ["startedAt"] }, async (data, t) => {
  const owner = await requireOwner();
  // The date is a day in Beijing time; midnight there is the start of it.
  const startedAt = new Date(`${data.startedAt}T00:00:00+08:00`);
  const [y, m, d] = data.startedAt.split("-").map(Number);
  const calendar = new Date(Date.UTC(y!, m! - 1, d!));
  // Refuse impossible days (2024-02-30) rather than rolling them over.
  if (Number.isNaN(startedAt.getTime()) || calendar.getUTCMonth() !== m! - 1 || calendar.getUTCDate() !== d) {
    return { ok: false, fieldErrors: { startedAt: t("me.declareErrors.date") } };
  }
  const { handle } = await prepareDatabase();
  const result = await declareTenure(handle.db, { ownerId: owner.id, number: owner.number!, startedAt, now: appClock().now() });
  if (!result.ok) {
    const key = { future: "future", too_old: "tooOld", exists: "exists" } as const;
    const message = t(`me.declareErrors.${key[result.error]}`);
    return { ok: false, message, fieldErrors: { startedAt: message } };
  }
  revalidatePath("/me");
  return { ok: true, message: t("me.declared") };
});

/** Signs out here: this session is revoked, so a copy of its cookie no longer opens anything. */
export async function ownerSignOut(): Promise<void> {
  await requireOwner();
  await endSession("/");
}

/** "Sign out on all devices": every session of this owner ends, this one included. */
export async function ownerSignOutEverywhere(): Promise<void> {
  await requireOwner();
  await endAllSessions("/");
}

