import { getCountryCallingCode, type CountryCode } from "libphonenumber-js";

export interface CountryOption {
  code: CountryCode;
  /** "中国 +86" / "China +86": the region in the reader's language and its calling code. */
  label: string;
}

/**
 * The countries the sign-in form offers: only those SMS is sent to (`servedCountries`), named in
 * the reader's language, mainland China first and the rest in the language's order. Offering a
 * country whose numbers would then be refused is a dead end.
 */
export function countryOptions(locale: string, served: readonly CountryCode[]): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  const options = served.map((code) => ({ code, label: `${names.of(code) ?? code} +${getCountryCallingCode(code)}` }));
  const collator = new Intl.Collator(locale);
  return options.sort((a, b) => (a.code === "CN" ? -1 : b.code === "CN" ? 1 : collator.compare(a.label, b.label)));
}
