import { carrier } from "libphonenumber-geo-carrier";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { CarrierCode } from "@/db/seed-data";

const byName: Record<string, CarrierCode> = { "China Mobile": "cmcc", "China Unicom": "cucc", "China Telecom": "ctcc" };

/**
 * The carrier a mainland number's prefix was first assigned to (Google libphonenumber's data).
 * Since number portability this is only a default: carrier records win where they exist.
 */
export async function carrierFromPrefix(e164: string): Promise<CarrierCode | null> {
  const name = await carrier(parsePhoneNumberFromString(e164), "en");
  return name ? (byName[name] ?? null) : null;
}
