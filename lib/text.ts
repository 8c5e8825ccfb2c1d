/**
 * Free text from outside (platforms' reasons and notes, owners' form fields) is cleaned once, at the
 * boundary: NUL and the other C0/C1 control characters are removed (Postgres refuses NUL in text
 * with 22021, which would fail a callback for good), tabs and line breaks are kept, CRLF becomes LF
 * and lone surrogates become U+FFFD, so what is stored is what any later reader can print.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(CONTROL, "").toWellFormed();
}

/** Every string in a parsed JSON value, cleaned (keys too); other values unchanged. */
export function cleanStrings(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cleanText(value);
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => cleanStrings(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanStrings(v, depth + 1)]));
}
