"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner, ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { AppError, logServerError } from "@/lib/errors";
import { evidenceStore, inspectUpload, validateUploadList, type EvidenceError } from "@/lib/reports/evidence";
import { RECEIVED_AT_GRACE_MS, RECEIVED_AT_MAX_AGE_MS } from "@/lib/reports/limits";
import { reportSchema } from "@/lib/reports/report-schema";
import { closeReport, createReport, ownerScope, type PreparedEvidence } from "@/lib/reports/service";
import { kickDispatcher } from "@/lib/outbox/runner";

const KEEP = ["channel", "text", "sender", "receivedAt", "category", "platform", "company", "repeatOf"];
type EvidenceFileCode = Exclude<EvidenceError, "too_many">;

/** A report of a message meant for someone else, for the signed-in owner's own number. */
export const createReportAction = action(reportSchema, owner, async ({ data, who, formData }) => {
  const now = appClock().now();
  const receivedAt = data.receivedAt || now;
  // A few minutes of grace for a phone clock that runs fast.
  if (receivedAt.getTime() > now.getTime() + RECEIVED_AT_GRACE_MS) throw new AppError("future:received_at", { field: "receivedAt" });
  if (receivedAt.getTime() < now.getTime() - RECEIVED_AT_MAX_AGE_MS) throw new AppError("too_old:received_at", { field: "receivedAt" });

  const files = formData.getAll("evidence").filter((f): f is File => typeof f !== "string" && f.size > 0);
  const listError = validateUploadList(files);
  if (listError) throw new AppError(`${listError}:evidence`, { status: listError === "too_large" ? 413 : 400, field: "evidence" });
  const evidence: PreparedEvidence[] = [];
  for (const file of files) {
    const checked = await inspectUpload(new Uint8Array(await file.arrayBuffer()));
    // The owner's own file name helps them see which one; it is echoed back, never stored or logged.
    if (!checked.ok) {
      const code = `${checked.error as EvidenceFileCode}:evidence_file` as const;
      throw new AppError(code, { details: { name: file.name.slice(0, 80) }, field: "evidence" });
    }
    evidence.push({ bytes: checked.bytes, mime: checked.mime });
  }

  const { handle } = await prepareDatabase();
  let result: Awaited<ReturnType<typeof createReport>>;
  try {
    result = await createReport(handle.db, evidenceStore(), {
      ownerId: who.id,
      number: who.number,
      report: {
        channel: data.channel,
        text: data.text,
        sender: data.sender || undefined,
        receivedAt,
        category: data.category || undefined,
        platformId: data.platform || undefined,
        companyName: data.company || undefined,
        repeatOf: data.repeatOf || undefined,
      },
      evidence,
      now,
    });
  } catch (error) {
    // Storage or database trouble: logged by code only; the form says so and keeps everything typed.
    logServerError("reports", error);
    throw new AppError("unavailable:report", { status: 503 });
  }
  if (!result.ok) {
    const code = (
      { no_tenure: "no_tenure:report", unknown_platform: "unknown_platform:report", daily_limit: "daily_limit:report", not_repeatable: "not_repeatable:report" } as const
    )[result.error];
    throw new AppError(code, { status: result.error === "daily_limit" ? 429 : 400, field: result.error === "unknown_platform" ? "platform" : undefined });
  }
  kickDispatcher();
  revalidatePath("/reports");
  redirect(`/reports/${result.reportId}?${result.merged ? "merged" : "sent"}=1`);
}, { keep: KEEP });

/** The owner withdraws their own report. */
export const closeReportAction = action(z.object({ reportId: z.uuid({ message: "reports.errors.failed" }) }), ownerWithTenure, async ({ data, who }) => {
  const scope = ownerScope(who);
  const { handle } = await prepareDatabase();
  const closed = scope ? await closeReport(handle.db, scope, data.reportId, appClock().now()) : false;
  if (!closed) throw new AppError("forbidden:report", { status: 404 });
  revalidatePath("/reports");
  // A fresh address: the "report sent" banner of the one it came from is no longer true.
  redirect(`/reports/${data.reportId}?closed=1`);
});
