import { cleanText } from "@/lib/text";
import { redactText } from "./redact";

/**
 * A form field as the report action stores it: control characters removed (lib/actions.ts cleans
 * every field with cleanText) and trimmed (the schema's `.trim()`).
 */
export function submittedField(raw: string): string {
  return cleanText(raw).trim();
}

/**
 * What a platform receives of a report's text and sender, from what the owner typed: the stored
 * value (`submittedField`) through the same `redactText` the outbox kind applies before it posts
 * (lib/outbox/kinds/wrong-party-report.ts). Pure, so the form shows it as the owner types;
 * lib/reports/reports.test.ts checks it byte for byte against what the reference partner receives.
 */
export function forwardedCopy(input: { text: string; sender?: string }): { text: string; sender?: string } {
  const sender = submittedField(input.sender ?? "");
  return { text: redactText(submittedField(input.text)), ...(sender ? { sender: redactText(sender) } : {}) };
}
