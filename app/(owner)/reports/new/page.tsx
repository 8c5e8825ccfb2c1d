import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { prepareDatabase } from "@/db/startup";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { reportPlatformOptions } from "@/lib/reports/queries";
import { ownerScope } from "@/lib/reports/service";
import { GuidanceShort } from "../guidance";
import { ReportForm } from "../report-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("newTitle") };
}

/** Report a message meant for someone else: paste it, check the suggestion, send. */
export default async function NewReportPage() {
  const [who, { handle }, t, locale] = await Promise.all([forPage(ownerWithTenure), prepareDatabase(), getTranslations("reports"), getLocale()]);
  const db = handle.db;
  const scope = ownerScope(who);
  const platforms = scope ? await reportPlatformOptions(db, locale) : [];
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/reports" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("listTitle")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("newTitle")}</h1>
      <p className="mt-3 text-muted-foreground">{t("newIntro")}</p>
      {scope ? (
        <div className="mt-8">
          <ReportForm platforms={platforms} />
        </div>
      ) : (
        <p className="mt-8 rounded-md border border-warning bg-warning-soft p-4 text-warning">
          {t.rich("noTenure", { link: (chunks) => <Link href="/me" className="font-medium underline">{chunks}</Link> })}
        </p>
      )}
      <GuidanceShort />
    </main>
  );
}
