import { z } from "zod";
import type { ReportResultStatus, UnbindOutcome } from "./types";

/** What partner protocol v1 fixes (docs/partner-api.md): limits, paths, request bodies, attestation rules. */

export const MAX_BODY_BYTES = 20 * 1024;
/** Path of Reclaim's endpoint for unbind outcomes, relative to Reclaim's base URL. */
export const UNBIND_RESULTS_PATH = "/api/partner/v1/unbind-results";
/** Path of Reclaim's endpoint for what became of a wrong-party report. */
export const REPORT_RESULTS_PATH = "/api/partner/v1/report-results";
export const DEFAULT_REPORT_STATUSES: ReportResultStatus[] = ["acknowledged", "contact_stopped"];
export const DEFAULT_UNBIND_DELAY_MS = 200;
export const DEFAULT_NOTICE_DAYS = 7;
export const DEFAULT_OWNER_INSTRUCTIONS = "Open the app, go to Settings › Account › Phone number and confirm the change.";
/** A callback is tried this many times (network error, 3xx or 5xx), this far apart. */
export const CALLBACK_ATTEMPTS = 3;
export const CALLBACK_RETRY_MS = 200;
/** One callback attempt is abandoned after this long (the protocol's 10 s request limit). */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Attestation checks (docs/partner-api.md §6): type, lifetime, clock skew allowed. */
export const ATTESTATION_TYPE = "reclaim-attestation+jwt";
export const ATTESTATION_MAX_LIFETIME_SECONDS = 15 * 60;
export const CLOCK_TOLERANCE_SECONDS = 5;
export const E164 = /^\+[1-9]\d{6,14}$/;

/** `POST {base}/unbind` (docs/partner-api.md §5). Unknown fields are ignored, as the protocol asks. */
export const unbindRequestSchema = z.object({
  requestId: z.uuid(),
  number: z.string().regex(E164),
  tenureStart: z.iso.datetime({ offset: true }),
  attestation: z.string().min(1),
});
export type UnbindRequest = z.infer<typeof unbindRequestSchema>;

/** `POST {base}/wrong-party-reports` (docs/partner-api.md §5). */
export const reportRequestSchema = z.object({
  reportId: z.uuid(),
  number: z.string().regex(E164),
  tenureStart: z.iso.datetime({ offset: true }),
  category: z.string().min(1).max(40),
  receivedAt: z.iso.datetime({ offset: true }),
  text: z.string().max(4000),
  channel: z.string().max(20).optional(),
  sender: z.string().max(200).optional(),
  repeatOf: z.uuid().optional(),
});
export type ReportRequest = z.infer<typeof reportRequestSchema>;

/**
 * `POST {base}/events` (docs/partner-api.md §5): something happened to a number or its owner.
 * Only `owner.erased` is sent in v1 so far; an unknown type is still taken (202) and recorded, as
 * the protocol asks receivers to ignore what they do not know.
 */
export const eventRequestSchema = z.object({
  type: z.string().min(1).max(60),
  number: z.string().regex(E164),
  at: z.iso.datetime({ offset: true }),
});
export type EventRequest = z.infer<typeof eventRequestSchema>;

/** What an unbind callback reports, besides the requestId. */
export interface UnbindResult {
  status: UnbindOutcome;
  effectiveAt?: string;
  reason?: string;
  instructions?: string;
}

/** Reclaim's base URL from its `unbind-results` URL (the origin, if the path is something else). */
export function reclaimBase(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  const path = url.pathname.endsWith(UNBIND_RESULTS_PATH) ? url.pathname.slice(0, -UNBIND_RESULTS_PATH.length) : "";
  return `${url.origin}${path}`;
}

/** The `number` a request body names, if it is JSON with one (requests are counted per number). */
export function numberOf(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as unknown;
    const number = json && typeof json === "object" ? (json as { number?: unknown }).number : undefined;
    return typeof number === "string" && E164.test(number) ? number : undefined;
  } catch {
    return undefined;
  }
}
