import { Repeat } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { reportPlatformOptions } from "@/lib/reports/queries";
import { ownerScope, repeatDraft } from "@/lib/reports/service";
import { GuidanceShort } from "../guidance";
import { ReportForm } from "../report-form";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }): Promise<Metadata> {
  const t = await getTranslations("reports");
  return { title: (await searchParams).again ? t("againNewTitle") : t("newTitle") };
}

/**
 * Report a message meant for someone else: paste it, check the suggestion, send. With `?again=<id>`
 * (from a resolved or closed report's "it happened again"), a new report linked to that one, with
 * who sent it and how filled in from it.
 */
export default async function NewReportPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const [who, { handle }, t, format, locale, query] = await Promise.all([
    forPage(ownerWithTenure),
    prepareDatabase(),
    getTranslations("reports"),
    getFormatter(),
    getLocale(),
    searchParams,
  ]);
  const db = handle.db;
  const scope = ownerScope(who);
  const platforms = scope ? await reportPlatformOptions(db, locale) : [];
  // Anyone else's report, or one still open, is simply not offered as the original: a plain new report.
  const draft = scope && query.again && z.uuid().safeParse(query.again).success ? await repeatDraft(db, scope, query.again) : null;
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/reports" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("listTitle")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{draft ? t("againNewTitle") : t("newTitle")}</h1>
      {draft ? (
        <p className="mt-3 flex items-start gap-2 rounded-md border border-border bg-surface p-3" data-testid="report-again-intro">
          <Repeat aria-hidden className="mt-1 size-4 shrink-0 text-primary" />
          <span>
            {t("againIntro", { date: format.dateTime(draft.original.receivedAt, "moment"), category: t(`category.${draft.original.category}`) })}{" "}
            <Link href={`/reports/${draft.original.id}`} className="font-medium text-primary underline underline-offset-4">
              {t("againOriginalLink")}
            </Link>
          </span>
        </p>
      ) : (
        <p className="mt-3 text-muted-foreground">{t("newIntro")}</p>
      )}
      {scope ? (
        <div className="mt-8">
          <ReportForm
            platforms={platforms}
            initial={
              draft
                ? {
                    repeatOf: draft.original.id,
                    channel: draft.channel,
                    category: draft.category,
                    platform: draft.platformId ?? "",
                    company: draft.companyName ?? "",
                    sender: draft.sender ?? "",
                  }
                : undefined
            }
          />
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
