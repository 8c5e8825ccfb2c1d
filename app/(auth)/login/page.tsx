import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { countryOptions } from "@/lib/phone/countries";
import { servedCountries } from "@/lib/phone/parse";
import { NumberForm } from "./number-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("login"))("title") };
}

export default async function LoginPage() {
  if ((await currentSession())?.kind === "owner") redirect("/me");
  const [t, locale] = await Promise.all([getTranslations("login"), getLocale()]);
  return (
    <>
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-3 text-muted-foreground">{t("intro")}</p>
      <NumberForm countries={countryOptions(locale, servedCountries(env().OTP_ALLOWED_COUNTRIES))} />
      <p className="mt-8 text-sm text-muted-foreground">{t("why")}</p>
    </>
  );
}
