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
