"use server";

import { eq } from "drizzle-orm";
import { getLocale } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { owners } from "@/db/schema";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { isLocale } from "@/lib/i18n/config";
import { normaliseCode } from "@/lib/otp/code";
import { otpDeps } from "@/lib/otp/deps";
import { ensureDeviceId } from "@/lib/otp/device-cookie";
import { sendRefusalMessage } from "@/lib/otp/refusal";
import { requestCode, verifyCode } from "@/lib/otp/service";
import { requestInfo } from "@/lib/request";
import { createBatch } from "@/lib/unbind/batch";
import { kickDispatcher } from "@/lib/outbox/runner";

const selectionSchema = z.object({
  platforms: z.string().transform((v) => v.split(",").filter((id) => z.uuid().safeParse(id).success)),
});

/** One batch for the signed-in owner's own number; delivery happens after commit, never here. */
export const createBatchAction = action(selectionSchema, owner, async ({ data, who, t }) => {
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
    const key = { reverify: "reverify", not_eligible: "notEligible", no_tenure: "noTenure", nothing_selected: "notEligible" } as const;
    return { ok: false, message: t(`unbind.errors.${key[result.error]}`) };
  }
  kickDispatcher();
  redirect(`/unbind/${result.batchId}`);
}, { keep: ["platforms"] });

/** Re-verification before unbinding: a fresh code to the owner's own number. */
export const sendReverifyCodeAction = action(z.object({}), owner, async ({ who, t }) => {
  const request = await requestInfo();
  const locale = await getLocale();
  const result = await requestCode(await otpDeps(request.host), {
    number: who.number,
    purpose: "reverify",
    locale: isLocale(locale) ? locale : "zh-CN",
    ip: request.ip,
    device: await ensureDeviceId(request.https),
  });
  if (!result.ok) return { ok: false, message: await sendRefusalMessage(result, t) };
  return { ok: true, message: t("unbind.reverifySent"), meta: { challengeId: result.challengeId } };
});

const confirmSchema = z.object({
  challengeId: z.uuid({ message: "unbind.errors.failed" }),
  code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/, { message: "unbind.errors.code" })),
});

export const confirmReverifyAction = action(confirmSchema, owner, async ({ data, who, t }) => {
  const { handle } = await prepareDatabase();
  const request = await requestInfo();
  const deps = await otpDeps(request.host);
  const source = { ip: request.ip, device: await ensureDeviceId(request.https) };
  const result = await verifyCode(deps, { challengeId: data.challengeId, code: data.code, purpose: "reverify", source });
  // A code for another number proves nothing about this owner.
  if (!result.ok || result.number !== who.number) {
    const expired = !result.ok && (result.error === "expired" || result.error === "superseded" || result.error === "used");
    const message = t(expired ? "unbind.errors.expired" : result.ok ? "unbind.errors.failed" : "unbind.errors.wrongCode");
    return { ok: false, message, fieldErrors: { code: message }, meta: { challengeId: data.challengeId } };
  }
  await handle.db.update(owners).set({ lastVerifiedAt: result.verifiedAt }).where(eq(owners.id, who.id));
  revalidatePath("/unbind/new");
  return { ok: true, message: t("unbind.reverified") };
}, { keep: ["challengeId"] });
