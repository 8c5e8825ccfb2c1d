import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * The whole number, grouped as people write it, for the one place its owner must check it (the
 * code step): mainland numbers nationally (138 0013 8000), others with their country code.
 */
export function formatNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === "86" ? parsed.formatNational() : parsed.formatInternational();
}
