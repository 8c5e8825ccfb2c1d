import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { AnswersTable, RecordFacts, RecordToolbar, RecordUse } from "@/components/record-parts";
import { prepareDatabase } from "@/db/startup";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { platformNames } from "@/lib/platforms/queries";
import { reportRecord } from "@/lib/reports/record";
import { ownerScope } from "@/lib/reports/service";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("record"))("reportTitle") };
}

/**
 * A printable record of one report, for the carrier, 12321 or 12300: what was reported, to whom
 * and when, and every answer with its date. The message appears masked, as it was passed on.
 */
export default async function ReportRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const [who, { handle }, { id }] = await Promise.all([forPage(ownerWithTenure), prepareDatabase(), params]);
  const scope = ownerScope(who);
  if (!z.uuid().safeParse(id).success || !scope) notFound();
  const record = await reportRecord(handle.db, { ...scope, number: who.number }, id, appClock().now());
  if (!record) notFound();
  const [t, tr, format, locale] = await Promise.all([getTranslations("record"), getTranslations("reports"), getFormatter(), getLocale()]);
  const platform = record.platformId ? ((await platformNames(handle.db, locale)).get(record.platformId) ?? null) : null;
  // Who answers: the platform that received the report, else the carrier's customer service.
  const to = platform ?? t("carrierService");
  const moment = (d: Date) => format.dateTime(d, "moment");
  const detail = (reason: string | null, note: string | null) =>
    [reason ? tr(`reasons.${reason}`, { to }) : null, note ? t("noteFrom", { to, note }) : null].filter(Boolean).join(" ") || null;

  return (
    <main id="main" className="record mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <RecordToolbar back={`/reports/${record.reportId}`} backLabel={t("backToReport")} />
      <article aria-labelledby="record-title" className="mt-6">
        <h1 id="record-title" className="text-2xl font-bold sm:text-3xl">
          {t("reportTitle")}
        </h1>
        <p className="mt-2 text-muted-foreground">{t("reportIntro")}</p>
        <RecordFacts
          className="record-block mt-6 rounded-lg border border-border bg-surface p-5"
          rows={[
            [t("reference"), <strong key="ref" className="font-mono text-lg" data-testid="record-reference">{record.reference}</strong>],
            [t("fullId"), <span key="id" className="font-mono text-sm break-all">{record.reportId}</span>],
            [t("number"), <span key="n" data-testid="record-number">{record.maskedNumber}</span>],
            [t("reportedAt"), moment(record.createdAt)],
            [t("kind"), tr(`category.${record.category}`)],
            [t("channel"), tr(`channel.${record.channel}`)],
            [t("receivedAt"), moment(record.receivedAt)],
            [t("from"), platform ?? record.companyName ?? t("notGiven")],
            ...(record.sender ? ([[t("sender"), record.sender]] as [string, string][]) : []),
            [t("handledBy"), to],
            ...(record.duplicates > 0 ? ([[t("repeats"), tr("duplicates", { count: record.duplicates })]] as [string, string][]) : []),
            ...(record.screenshots > 0 ? ([[t("screenshots"), t("screenshotsValue", { count: record.screenshots })]] as [string, string][]) : []),
            [
              t("currentState"),
              <span key="s" data-testid="record-status">
                {tr(`status.${record.status}`, { to })}
                {detail(record.reason, record.note) ? <span className="block">{detail(record.reason, record.note)}</span> : null}
              </span>,
            ],
          ]}
        />

        <section aria-labelledby="record-message-title" className="record-block mt-8">
          <h2 id="record-message-title" className="text-lg font-semibold">
            {t("messageTitle")}
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">{t("messageMasked")}</p>
          <blockquote className="mt-3 rounded-md border-l-4 border-primary bg-muted p-3 break-words whitespace-pre-wrap" data-testid="record-message">
            {record.redactedText}
          </blockquote>
        </section>

        <section aria-labelledby="record-answers-title" className="record-block mt-8">
          <h2 id="record-answers-title" className="text-lg font-semibold">
            {t("answersTitle")}
          </h2>
          <AnswersTable
            caption={t("answersTitle")}
            testId="record-answers"
            entries={record.events.map((e) => ({ at: e.at, what: t(`reportEvent.${e.status}`, { to }), detail: detail(e.reason, e.note) }))}
          />
        </section>

        <RecordUse generatedAt={record.generatedAt} />
      </article>
    </main>
  );
}
