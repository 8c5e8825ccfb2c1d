import { REPORT_CATEGORIES, REPORT_CHANNELS } from "@/db/enums";
import { submittedField } from "./forwarded";
import { MAX_COMPANY_CHARS, MAX_SENDER_CHARS, MAX_TEXT_CHARS, RECEIVED_AT_GRACE_MS, RECEIVED_AT_MAX_AGE_MS } from "./limits";

/**
 * The report form's field checks for the browser: the server's rules (report-schema.ts, and the
 * time checks in the action) without zod, so an error shown after a refused submit can clear or
 * change as soon as the owner fixes the field. The server still checks everything on submit.
 * Pure and dependency-free: safe in a client component.
 */

/** A message key under `reports.` for what is wrong with a field's value; null when it is fine. */
export function reportFieldProblem(field: string, raw: string, now: Date): string | null {
  const value = submittedField(raw);
  switch (field) {
    case "text":
      if (value.length === 0) return "errors.textRequired";
      return value.length > MAX_TEXT_CHARS ? "errors.textTooLong" : null;
    case "sender":
      return value.length > MAX_SENDER_CHARS ? "errors.senderTooLong" : null;
    case "company":
      return value.length > MAX_COMPANY_CHARS ? "errors.companyTooLong" : null;
    case "channel":
      return (REPORT_CHANNELS as readonly string[]).includes(value) ? null : "errors.channel";
    case "category":
      return value === "" || (REPORT_CATEGORIES as readonly string[]).includes(value) ? null : "errors.category";
    case "receivedAt": {
      if (value === "") return null;
      const at = beijingTime(value);
      if (!at) return "errors.receivedAt";
      if (at.getTime() > now.getTime() + RECEIVED_AT_GRACE_MS) return "errors.receivedAtFuture";
      return at.getTime() < now.getTime() - RECEIVED_AT_MAX_AGE_MS ? "errors.receivedAtOld" : null;
    }
    default:
      // The platform (a list the server knows), the files (checked as they are chosen): a change is the fix.
      return null;
  }
}

/** "2026-11-28T09:30" in Beijing time, as the server reads it; null when it is not such a value. */
export function beijingTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(`${value}:00+08:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * The field errors to show now. A refused submit's error stays while its field holds the value it
 * was refused for; once the owner changes that field, it is checked again here: gone when the value
 * is fine, another message when it is wrong another way. Fields without an error are not judged
 * while the owner types (errors appear on submit, GOV.UK), so nothing new turns red mid-sentence.
 */
export function liveFieldErrors(
  serverErrors: Record<string, string>,
  submitted: Record<string, string>,
  current: Record<string, string | undefined>,
  problem: (field: string, value: string) => string | null,
): Record<string, string> {
  const live: Record<string, string> = {};
  for (const [field, message] of Object.entries(serverErrors)) {
    const now = current[field];
    if (now === undefined || now === (submitted[field] ?? "")) {
      live[field] = message;
      continue;
    }
    const changed = problem(field, now);
    if (changed) live[field] = changed;
  }
  return live;
}
