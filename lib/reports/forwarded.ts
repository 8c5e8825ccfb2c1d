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
 * value (`submittedField`) through `redactText`. The outbox kind posts exactly this
 * (lib/outbox/kinds/wrong-party-report.ts calls it on the stored fields, which it leaves as they
 * are), and the form shows it as the owner types; lib/reports/reports.test.ts checks the two
 * byte for byte against what the reference partner receives.
 */
export function forwardedCopy(input: { text: string; sender?: string }): { text: string; sender?: string } {
  const sender = submittedField(input.sender ?? "");
  return { text: redactText(submittedField(input.text)), ...(sender ? { sender: redactText(sender) } : {}) };
}
