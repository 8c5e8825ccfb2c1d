import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type ParsedMobile =
  | { ok: true; e164: string; country: CountryCode }
  | { ok: false; error: "invalid_number" | "not_mobile" | "country_not_served" };

/**
 * Reads what people type (spaces, dashes, brackets, +86, 0086, full-width digits) and returns the
 * number in E.164 when it is a valid mobile number of a served country.
 */
export function parseMobile(input: string, defaultCountry: CountryCode, served: readonly string[]): ParsedMobile {
  const cleaned = input.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48)).replace(/\uFF0B/g, "+").replace(/[()（）]/g, " ").trim();
  if (!/\d/.test(cleaned) || cleaned.length > 40) return { ok: false, error: "invalid_number" };
  const parsed = parsePhoneNumberFromString(cleaned, { defaultCountry, extract: false });
  if (!parsed || !parsed.isValid() || !parsed.country) return { ok: false, error: "invalid_number" };
  const type = parsed.getType();
  if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") return { ok: false, error: "not_mobile" };
  if (!served.includes(parsed.country)) return { ok: false, error: "country_not_served" };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** Countries SMS may go to: mainland China always, plus OTP_ALLOWED_COUNTRIES (e.g. "HK,MO"). */
export function servedCountries(extra: string | undefined): CountryCode[] {
  const codes = (extra ?? "")
    .split(",")
    .map((c) => c.trim().toUpperCase())
    .filter((c) => /^[A-Z]{2}$/.test(c));
  return [...new Set(["CN", ...codes])] as CountryCode[];
}
