import { getCountries, getCountryCallingCode } from "libphonenumber-js";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/guards";
import { NumberForm } from "./number-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("login"))("title") };
}

/** Every country with its calling code, named in the reader's language; mainland China first. */
function countryOptions(locale: string) {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  const options = getCountries().map((code) => ({ code, label: `${names.of(code) ?? code} +${getCountryCallingCode(code)}` }));
  const collator = new Intl.Collator(locale);
  options.sort((a, b) => (a.code === "CN" ? -1 : b.code === "CN" ? 1 : collator.compare(a.label, b.label)));
  return options;
}

export default async function LoginPage() {
  if ((await currentSession())?.kind === "owner") redirect("/me");
  const [t, locale] = await Promise.all([getTranslations("login"), getLocale()]);
  return (
    <>
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-3 text-muted-foreground">{t("intro")}</p>
      <NumberForm countries={countryOptions(locale)} />
      <p className="mt-8 text-sm text-muted-foreground">{t("why")}</p>
    </>
  );
}
