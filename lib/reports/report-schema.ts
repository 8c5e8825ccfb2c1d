import { z } from "zod";
import { REPORT_CATEGORIES, REPORT_CHANNELS } from "./classify";
import { MAX_COMPANY_CHARS, MAX_SENDER_CHARS, MAX_TEXT_CHARS } from "./limits";

/** "2026-11-28T09:30" from a datetime-local field, read in Beijing time (UTC+8, no daylight saving). */
const beijingDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "reports.errors.receivedAt" })
  .transform((v) => new Date(`${v}:00+08:00`))
  .refine((d) => !Number.isNaN(d.getTime()), { message: "reports.errors.receivedAt" });

/**
 * The report form's fields as the server parses them (app/(owner)/reports/actions.ts). The form
 * checks a field again in the browser once the owner changes it after a refusal
 * (`reportFieldProblem` in form-rules.ts); form-rules.test.ts keeps the two in agreement.
 */
export const reportSchema = z.object({
  channel: z.enum(REPORT_CHANNELS, { message: "reports.errors.channel" }),
  text: z
    .string()
    .trim()
    .min(1, { message: "reports.errors.textRequired" })
    .max(MAX_TEXT_CHARS, { message: "reports.errors.textTooLong" }),
  sender: z.string().trim().max(MAX_SENDER_CHARS, { message: "reports.errors.senderTooLong" }).optional(),
  receivedAt: z.union([z.literal(""), beijingDateTime], { message: "reports.errors.receivedAt" }).optional(),
  // Empty: the classifier's suggestion (a browser without JavaScript never saw it).
  category: z.union([z.literal(""), z.enum(REPORT_CATEGORIES)], { message: "reports.errors.category" }).optional(),
  platform: z.union([z.literal(""), z.uuid()], { message: "reports.errors.platform" }).optional(),
  company: z.string().trim().max(MAX_COMPANY_CHARS, { message: "reports.errors.companyTooLong" }).optional(),
  // "It happened again": the earlier report this one repeats (checked against the owner's own in createReport).
  repeatOf: z.union([z.literal(""), z.uuid()], { message: "reports.errors.repeatOf" }).optional(),
});
