"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner, ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { AppError, logServerError } from "@/lib/errors";
import { REPORT_CATEGORIES, REPORT_CHANNELS } from "@/lib/reports/classify";
import { evidenceStore, inspectUpload, validateUploadList, type EvidenceError } from "@/lib/reports/evidence";
import { MAX_TEXT_CHARS } from "@/lib/reports/limits";
import { closeReport, createReport, ownerScope, type PreparedEvidence } from "@/lib/reports/service";
import { kickDispatcher } from "@/lib/outbox/runner";

/** "2026-11-28T09:30" from a datetime-local field, read in Beijing time (UTC+8, no daylight saving). */
const beijingDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "reports.errors.receivedAt" })
  .transform((v) => new Date(`${v}:00+08:00`))
  .refine((d) => !Number.isNaN(d.getTime()), { message: "reports.errors.receivedAt" });

const reportSchema = z.object({
  channel: z.enum(REPORT_CHANNELS, { message: "reports.errors.channel" }),
  text: z
    .string()
    .trim()
    .min(1, { message: "reports.errors.textRequired" })
    .max(MAX_TEXT_CHARS, { message: "reports.errors.textTooLong" }),
  sender: z.string().trim().max(64, { message: "reports.errors.senderTooLong" }).optional(),
  receivedAt: z.union([z.literal(""), beijingDateTime], { message: "reports.errors.receivedAt" }).optional(),
  // Empty: the classifier's suggestion (a browser without JavaScript never saw it).
  category: z.union([z.literal(""), z.enum(REPORT_CATEGORIES)], { message: "reports.errors.category" }).optional(),
  platform: z.union([z.literal(""), z.uuid()], { message: "reports.errors.platform" }).optional(),
  company: z.string().trim().max(100, { message: "reports.errors.companyTooLong" }).optional(),
});

const KEEP = ["channel", "text", "sender", "receivedAt", "category", "platform", "company"];
type EvidenceFileCode = Exclude<EvidenceError, "too_many">;

/** A report of a message meant for someone else, for the signed-in owner's own number. */
export const createReportAction = action(reportSchema, owner, async ({ data, who, formData }) => {
  const now = appClock().now();
  const receivedAt = data.receivedAt || now;
  // A few minutes of grace for a phone clock that runs fast.
  if (receivedAt.getTime() > now.getTime() + 5 * 60_000) throw new AppError("future:received_at", { field: "receivedAt" });
  if (receivedAt.getTime() < now.getTime() - 366 * 86_400_000) throw new AppError("too_old:received_at", { field: "receivedAt" });

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
    const code = ({ no_tenure: "no_tenure:report", unknown_platform: "unknown_platform:report", daily_limit: "daily_limit:report" } as const)[result.error];
    throw new AppError(code, { status: result.error === "daily_limit" ? 429 : 400, field: result.error === "unknown_platform" ? "platform" : undefined });
  }
  kickDispatcher();
  revalidatePath("/reports");
  redirect(`/reports/${result.reportId}?${result.merged ? "merged" : "sent"}=1`);
}, { keep: KEEP });

/** The owner withdraws their own report. */
export const closeReportAction = action(z.object({ reportId: z.uuid({ message: "reports.errors.failed" }) }), ownerWithTenure, async ({ data, who, t }) => {
  const scope = ownerScope(who);
  const { handle } = await prepareDatabase();
  const closed = scope ? await closeReport(handle.db, scope, data.reportId, appClock().now()) : false;
  if (!closed) throw new AppError("forbidden:report", { status: 404 });
  revalidatePath(`/reports/${data.reportId}`);
  return { ok: true, message: t("reports.closedMessage") };
});
