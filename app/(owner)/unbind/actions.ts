"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action, refusalState } from "@/lib/actions";
import { owner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { normaliseCode } from "@/lib/otp/code";
import { AppError } from "@/lib/errors";
import { reverifyCodeRefusal } from "@/lib/otp/refusal";
import { markVerified } from "@/lib/owners/queries";
import { createBatch } from "@/lib/unbind/batch";
import { getLocale } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { kickDispatcher } from "@/lib/outbox/runner";
import { checkReverifyCode, sendReverifyCode } from "@/lib/owners/reverify";

const selectionSchema = z.object({
  platforms: z.string().transform((v) => v.split(",").filter((id) => z.uuid().safeParse(id).success)),
});

/** One batch for the signed-in owner's own number; delivery happens after commit, never here. */
export const createBatchAction = action(selectionSchema, owner, async ({ data, who }) => {
  const { handle } = await prepareDatabase();
  const locale = await getLocale();
  const result = await createBatch(handle.db, {
    ownerId: who.id,
    number: who.number,
    platformIds: data.platforms,
    now: appClock().now(),
    locale: isLocale(locale) ? locale : "zh-CN",
  });
  if (!result.ok) {
    const code = ({ reverify: "reverify:unbind", not_eligible: "not_eligible:unbind", no_tenure: "no_tenure:unbind", nothing_selected: "not_eligible:unbind" } as const)[result.error];
    throw new AppError(code, { status: 409 });
  }
  kickDispatcher();
  redirect(`/unbind/${result.batchId}`);
}, { keep: ["platforms"] });

/** Re-verification before unbinding: a fresh code to the owner's own number. */
export const sendReverifyCodeAction = action(z.object({}), owner, async ({ who, t }) => {
  return { ok: true, message: t("unbind.reverifySent"), meta: { challengeId: await sendReverifyCode(who.number) } };
}, { keep: ["challengeId"] });

const confirmSchema = z.object({
  challengeId: z.uuid({ message: "unbind.errors.failed" }),
  code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/, { message: "unbind.errors.code" })),
});

export const confirmReverifyAction = action(confirmSchema, owner, async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  const { result } = await checkReverifyCode(data);
  // A code for another number proves nothing about this owner. A wrong code says how many tries
  // are left on it; the challenge stays, so the owner can try again without a new code.
  if (!result.ok || result.number !== who.number) {
    const refusal = result.ok ? new AppError("failed:reverify", { field: "code" }) : reverifyCodeRefusal(result, "code");
    return { ...(await refusalState(refusal, t)), meta: { challengeId: data.challengeId } };
  }
  await markVerified(handle.db, who.id, result.verifiedAt);
  revalidatePath("/unbind/new");
  return { ok: true, message: t("unbind.reverified") };
}, { keep: ["challengeId", "code"] });
