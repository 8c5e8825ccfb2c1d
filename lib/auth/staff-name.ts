/**
 * A staff member's display name in the page's language. A name is shown as entered (people's names
 * are not translated), but an account may carry one per language as `中文 / English` — the demo
 * accounts do (db/seed-data.ts) — and then each page shows only its own: the part before the
 * " / " on a Chinese page, the part after it on an English one.
 */
export function staffDisplayName(name: string, locale: string): string {
  const parts = name.split(" / ").map((part) => part.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) return name;
  return locale === "en" ? parts[1] : parts[0];
}
