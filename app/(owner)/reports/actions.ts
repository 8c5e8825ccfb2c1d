"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { owner, ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { REPORT_CATEGORIES } from "@/lib/reports/classify";
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
  channel: z.enum(["sms", "call", "other"], { message: "reports.errors.channel" }),
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
const EVIDENCE_MESSAGE: Record<EvidenceError, string> = {
  too_many: "reports.errors.tooManyFiles",
  too_large: "reports.errors.fileTooLarge",
  empty: "reports.errors.fileEmpty",
  unsupported_type: "reports.errors.fileType",
  unreadable: "reports.errors.fileUnreadable",
};

/** A report of a message meant for someone else, for the signed-in owner's own number. */
export const createReportAction = action(reportSchema, owner, async ({ data, who, t, formData }) => {
  const now = appClock().now();
  const fail = (field: string, key: string, values?: Record<string, string>) => {
    const message = t(key as Parameters<typeof t>[0], values);
    return { ok: false, message: t("forms.fixErrors"), fieldErrors: { [field]: message } };
  };
  const receivedAt = data.receivedAt || now;
  // A few minutes of grace for a phone clock that runs fast.
  if (receivedAt.getTime() > now.getTime() + 5 * 60_000) return fail("receivedAt", "reports.errors.receivedAtFuture");
  if (receivedAt.getTime() < now.getTime() - 366 * 86_400_000) return fail("receivedAt", "reports.errors.receivedAtOld");

  const files = formData.getAll("evidence").filter((f): f is File => typeof f !== "string" && f.size > 0);
  const listError = validateUploadList(files);
  if (listError) return fail("evidence", EVIDENCE_MESSAGE[listError]);
  const evidence: PreparedEvidence[] = [];
  for (const file of files) {
    const checked = await inspectUpload(new Uint8Array(await file.arrayBuffer()));
    // The owner's own file name helps them see which one; it is echoed back, never stored or logged.
    if (!checked.ok) return fail("evidence", `${EVIDENCE_MESSAGE[checked.error]}Named`, { name: file.name.slice(0, 80) });
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
    // Storage or database trouble: say so in the form, which keeps everything typed.
    console.error("[reports] could not save a report:", (error as { code?: string })?.code ?? (error as Error)?.name);
    return { ok: false, message: t("reports.errors.failed") };
  }
  if (!result.ok) {
    const key = { no_tenure: "reports.errors.noTenure", unknown_platform: "reports.errors.platform", daily_limit: "reports.errors.dailyLimit" } as const;
    return { ok: false, message: t(key[result.error]) };
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
  if (!closed) return { ok: false, message: t("reports.errors.failed") };
  revalidatePath(`/reports/${data.reportId}`);
  return { ok: true, message: t("reports.closedMessage") };
});
