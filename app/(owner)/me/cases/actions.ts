"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner } from "@/lib/auth/guards";
import { answerCase, askForHelp, NOTE_MAX_CHARS } from "@/lib/cases/owner";
import { appClock } from "@/lib/clock";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const message = z.string().trim().min(1, { message: "ownerCases.errors.empty" }).max(NOTE_MAX_CHARS, { message: "ownerCases.errors.tooLong" });

/** A refusal of lib/cases/owner.ts as the form shows it (beside the message where it is about it). */
function refuse(result: { error: "empty" | "not_found" | "settled" | "rate_limited"; retryAfterSeconds?: number }): never {
  if (result.error === "rate_limited") throw new AppError("rate_limited:case_message", { status: 429, field: "message", details: { retryAfterSeconds: result.retryAfterSeconds ?? 60 } });
  if (result.error === "empty") throw new AppError("empty:case_message", { field: "message" });
  throw new AppError(result.error === "not_found" ? "not_found:case" : "settled:case", { status: result.error === "not_found" ? 404 : 409 });
}

/**
 * "Contact customer service" on the number page: an `owner_help` case with the message, or the
 * message added to the owner's active one. `meta.caseId` lets the form link to it.
 */
export const contactCustomerServiceAction = action(
  z.object({ message }),
  owner,
  async ({ data, who, t }) => {
    const { handle } = await prepareDatabase();
    const result = await askForHelp(handle.db, { owner: who, message: data.message, at: appClock().now() });
    if (!result.ok) refuse(result);
    revalidatePath("/me");
    return {
      ok: true,
      message: result.joined ? t("ownerCases.joined") : t("ownerCases.sent", { hours: env().cases.firstResponseHours }),
      meta: { caseId: result.caseId },
    };
  },
  { keep: ["message"] },
);

/** The owner's answer on their own case; anyone else's (or an earlier holder's) is "not found". */
export const answerCaseAction = action(
  z.object({ caseId: z.uuid({ message: "ownerCases.errors.notFound" }), message }),
  owner,
  async ({ data, who, t }) => {
    const { handle } = await prepareDatabase();
    const result = await answerCase(handle.db, { owner: who, caseId: data.caseId, text: data.message, at: appClock().now() });
    if (!result.ok) refuse(result);
    revalidatePath(`/me/cases/${data.caseId}`);
    revalidatePath("/me");
    return { ok: true, message: t("ownerCases.answered") };
  },
  { keep: ["message"] },
);
