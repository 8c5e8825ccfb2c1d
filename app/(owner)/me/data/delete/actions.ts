"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner } from "@/lib/auth/guards";
import { endSession } from "@/lib/auth/sign-out";
import { appClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { normaliseCode } from "@/lib/otp/code";
import { signInCodeRefusal } from "@/lib/otp/refusal";
import { kickDispatcher } from "@/lib/outbox/runner";
import { checkReverifyCode, sendReverifyCode } from "@/lib/owners/reverify";
import { eraseOwner } from "@/lib/owners/erasure";
import { evidenceStore } from "@/lib/reports/evidence";

/** Step 1: a fresh code to the owner's own number (the OTP service's re-verification purpose). */
export const sendErasureCodeAction = action(z.object({}), owner, async ({ who, t }) => {
  return { ok: true, message: t("erasure.codeSent"), meta: { challengeId: await sendReverifyCode(who.number) } };
});

const eraseSchema = z.object({
  challengeId: z.uuid({ message: "erasure.errors.noCode" }),
  code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/, { message: "erasure.errors.code" })),
});

/**
 * Step 2: the code, then the erasure (lib/owners/erasure.ts), then this browser signed out; the
 * owner's other sessions end with the owner row. The receipt page works signed out.
 */
export const eraseMyDataAction = action(
  eraseSchema,
  owner,
  async ({ data, who }) => {
    const { deps, result } = await checkReverifyCode(data);
    // A code for another number proves nothing about this owner.
    if (!result.ok) throw signInCodeRefusal(result, "code");
    if (result.number !== who.number) throw new AppError("failed:reverify", { field: "code" });
    const { handle } = await prepareDatabase();
    const erased = await eraseOwner(handle.db, evidenceStore(), { ownerId: who.id, number: who.number, now: appClock().now(), secret: deps.secret });
    // Nothing left to erase (a second tab got there first): this session is over either way.
    if (!erased.ok) {
      await endSession("/");
      redirect("/");
    }
    kickDispatcher();
    await endSession(`/erased/${erased.erasureId}`);
    return { ok: true };
  },
  { keep: ["challengeId", "code"] },
);
