/**
 * What a report may hold, shared by the form (which checks early, in the browser) and the server
 * (which checks again and decides). Plain values: safe to import anywhere.
 */
export const EVIDENCE_LIMITS = {
  maxFiles: 3,
  maxBytes: 5 * 1024 * 1024,
  types: ["image/png", "image/jpeg", "image/webp", "image/heic"],
} as const;

/** The message text or call summary, in characters. */
export const MAX_TEXT_CHARS = 2000;

/** At most this many new reports per owner in any 24 hours; a repeated message is merged, not counted. */
export const DAILY_REPORT_LIMIT = 20;

/** The sender number or name, and the company the owner names, in characters. */
export const MAX_SENDER_CHARS = 64;
export const MAX_COMPANY_CHARS = 100;

/** When a message arrived: a few minutes ahead is a phone clock that runs fast; more than a year back is not taken. */
export const RECEIVED_AT_GRACE_MS = 5 * 60_000;
export const RECEIVED_AT_MAX_AGE_MS = 366 * 86_400_000;
