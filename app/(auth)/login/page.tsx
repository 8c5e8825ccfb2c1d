import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/guards";
import { returnPathOr, safeReturnPath } from "@/lib/auth/return-to";
import { env } from "@/lib/env";
import { countryOptions } from "@/lib/phone/countries";
import { servedCountries } from "@/lib/phone/parse";
import { NumberForm } from "./number-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("login"))("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // The page a signed-out visitor asked for (lib/auth/guards.ts), if it is one of ours.
  const next = safeReturnPath((await searchParams).next);
  if ((await currentSession())?.kind === "owner") redirect(returnPathOr(next));
  const [t, locale] = await Promise.all([getTranslations("login"), getLocale()]);
  return (
    <>
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-3 text-muted-foreground">{t("intro")}</p>
      <NumberForm countries={countryOptions(locale, servedCountries(env().OTP_ALLOWED_COUNTRIES))} next={next} />
      <p className="mt-8 text-sm text-muted-foreground">{t("why")}</p>
    </>
  );
}
