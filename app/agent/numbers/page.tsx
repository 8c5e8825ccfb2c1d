import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { areaMetadata } from "@/components/not-for-you";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { prepareDatabase } from "@/db/startup";
import { searchNumber } from "@/lib/agent/number-view";
import { requireArea } from "@/lib/auth/guards";
import { carrierById } from "@/lib/carriers/queries";
import { env } from "@/lib/env";
import { servedCountries } from "@/lib/phone/parse";
import { cleanText } from "@/lib/text";
import { SlashFocus } from "./slash-focus";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agentNumbers"))("title") }));
}

/**
 * Number search: a GET form, so a search is a URL an agent can come back to. A number the agent's
 * carrier holds opens its page (by tenure id: the number leaves the URL there); anything else is
 * said in words beside the field, with what was typed kept.
 */
export default async function NumberSearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const user = await requireArea("agent");
  const raw = (await searchParams).q;
  const q = cleanText(typeof raw === "string" ? raw : "").slice(0, 64);
  const [t, locale] = await Promise.all([getTranslations("agentNumbers"), getLocale()]);

  let error: string | undefined;
  if (q.trim()) {
    const { handle } = await prepareDatabase();
    const found = await searchNumber(handle.db, q, user.carrierId, servedCountries(env().OTP_ALLOWED_COUNTRIES));
    if (found.ok) redirect(`/agent/numbers/${found.tenureId}`);
    if (found.error !== "not_found") error = t(`errors.${found.error}`);
    else {
      const carrier = user.carrierId ? await carrierById(handle.db, user.carrierId) : null;
      error = carrier ? t("errors.not_found", { carrier: locale === "en" ? carrier.nameEn : carrier.nameZh }) : t("errors.not_found_any");
    }
  }

  return (
    <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
      <SlashFocus target="q" />
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-prose text-muted-foreground">{t("intro")}</p>
      <form method="get" action="/agent/numbers" role="search" noValidate className="mt-8 flex max-w-xl flex-col gap-6">
        {error ? <ErrorSummary key={q} title={t("errorTitle")} errors={[{ fieldId: "q", message: error }]} /> : null}
        <FormField id="q" label={t("query")} hint={t("queryHint")} error={error}>
          <Input name="q" type="search" inputMode="tel" autoComplete="off" spellCheck={false} defaultValue={q} maxLength={64} required />
        </FormField>
        <Button type="submit" size="lg" className="self-start">
          {t("search")}
        </Button>
      </form>
    </main>
  );
}
