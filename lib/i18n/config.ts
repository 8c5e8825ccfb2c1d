export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
const defaultLocale: Locale = "zh-CN";
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Owners are in mainland China; dates read in Beijing time whatever the server's zone. */
export const timeZone = "Asia/Shanghai";

/**
 * The two ways a page shows a date (messages/GLOSSARY.md): `day` for a date alone and `moment`
 * for when something happened. Pages pass the name (`format.dateTime(d, "day")`), never options
 * of their own, so every page reads one format per locale.
 */
export const formats = {
  dateTime: {
    day: { dateStyle: "long" },
    moment: { dateStyle: "long", timeStyle: "short" },
  },
} as const satisfies { dateTime: Record<string, Intl.DateTimeFormatOptions> };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * Picks a locale from an Accept-Language header: exact tag first, then the base language
 * (zh-TW, zh-HK → zh-CN; en-GB → en), in the client's order of preference.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);

  for (const { tag } of ranked) {
    const exact = locales.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const base = tag.split("-")[0];
    const byBase = locales.find((l) => l.toLowerCase().split("-")[0] === base);
    if (byBase) return byBase;
  }
  return defaultLocale;
}
