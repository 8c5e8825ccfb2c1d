import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { formats, isLocale, LOCALE_COOKIE, negotiateLocale, timeZone } from "./config";

// Locale without a URL prefix: the switcher's cookie wins, then the browser's languages.
export default getRequestConfig(async () => {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(fromCookie) ? fromCookie : negotiateLocale((await headers()).get("accept-language"));
  return {
    locale,
    timeZone,
    formats,
    messages: (await import(`../../messages/${locale}.json`)).default,
  };
});
