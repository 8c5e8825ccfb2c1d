"use server";

import { revalidatePath } from "next/cache";
import { getFormatter } from "next-intl/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action, formPost } from "@/lib/actions";
import { owner } from "@/lib/auth/guards";
import { endAllSessions, endSession } from "@/lib/auth/sign-out";
import { AppError } from "@/lib/errors";
import { appClock } from "@/lib/clock";
import { correctTenure, declareTenure } from "@/lib/tenure";

const schema = z.object({
  startedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "me.declareErrors.date" }),
});

/** The date typed (a day in Beijing time, so midnight there is the start of it); impossible days (2024-02-30) are refused, not rolled over. */
function tenureDay(value: string): Date {
  const startedAt = new Date(`${value}T00:00:00+08:00`);
  const [y, m, d] = value.split("-").map(Number);
  const calendar = new Date(Date.UTC(y!, m! - 1, d!));
  if (Number.isNaN(startedAt.getTime()) || calendar.getUTCMonth() !== m! - 1 || calendar.getUTCDate() !== d) {
    throw new AppError("invalid:tenure_date", { field: "startedAt" });
  }
  return startedAt;
}

/** "Tell us when you got this number": saved for the signed-in owner's own number only. */
export const declareTenureAction = action(schema, owner, async ({ data, who, t }) => {
  const startedAt = tenureDay(data.startedAt);
  const { handle } = await prepareDatabase();
  const result = await declareTenure(handle.db, { ownerId: who.id, number: who.number, startedAt, now: appClock().now() });
  if (!result.ok) {
    const code = ({ future: "future:tenure_date", too_old: "too_old:tenure_date", exists: "exists:tenure" } as const)[result.error];
    throw new AppError(code, { status: result.error === "exists" ? 409 : 400, field: "startedAt" });
  }
  // Also a new tenure_review case, listed under "Your cases".
  revalidatePath("/me");
  return { ok: true, message: t("me.declared") };
}, { keep: ["startedAt"] });

/** "Correct this date": the owner's own self-declared date only; the one it replaces is kept (lib/tenure.ts). */
export const correctTenureAction = action(schema, owner, async ({ data, who, t }) => {
  const startedAt = tenureDay(data.startedAt);
  const { handle } = await prepareDatabase();
  const format = await getFormatter();
  const day = (d: Date) => format.dateTime(d, "day");
  // The correction joins the tenure's review case as the owner's entry, in their language.
  const describe = (previous: Date, date: Date) => t("ownerCases.tenureCorrectedNote", { previous: day(previous), date: day(date) });
  const result = await correctTenure(handle.db, { ownerId: who.id, number: who.number, startedAt, now: appClock().now(), describe });
  if (!result.ok) {
    const code = (
      {
        future: "future:tenure_date",
        too_old: "too_old:tenure_date",
        unchanged: "unchanged:tenure_date",
        not_on_record: "not_on_record:tenure",
        not_self_declared: "not_self_declared:tenure",
      } as const
    )[result.error];
    throw new AppError(code, { status: result.error === "not_self_declared" ? 409 : 400, field: "startedAt" });
  }
  revalidatePath("/me");
  return { ok: true, message: t("me.corrected") };
}, { keep: ["startedAt"] });

/** Signs out here: this session is revoked, so a copy of its cookie no longer opens anything. */
export const ownerSignOut = formPost(z.object({}), owner, () => endSession("/signed-out"));

/** "Sign out on all devices": every session of this owner ends, this one included. */
export const ownerSignOutEverywhere = formPost(z.object({}), owner, () => endAllSessions("/signed-out?all=1"));
