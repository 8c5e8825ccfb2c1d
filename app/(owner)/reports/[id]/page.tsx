import { CheckCircle2, FileImage, Repeat } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { AutoRefresh } from "@/components/auto-refresh";
import { Timeline } from "@/components/timeline";
import { Badge } from "@/components/ui/badge";
import { appClock } from "@/lib/clock";
import { prefilled12321 } from "@/lib/reports/guidance";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { prepareDatabase } from "@/db/startup";
import { platformNames } from "@/lib/platforms/queries";
import { ownerReport, ownerScope } from "@/lib/reports/service";
import { FINAL_REPORT_STATUSES, knownReason } from "@/lib/reports/status";
import { CloseReportForm } from "../close-form";
import { GuidanceWith12321 } from "../guidance";
import { partiesOf, recipientOf } from "../recipient";
import { REPORT_STATUS_VARIANT } from "../status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("detailTitle") };
}

/** While a platform is still answering, the page keeps itself current this long after the report. */
const REFRESH_FOR_MS = 10 * 60_000;

/** One report: where it stands, what happened, the message itself (the owner's own view), and what else to do. */
export default async function ReportPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const [who, { handle }, { id }, query] = await Promise.all([forPage(ownerWithTenure), prepareDatabase(), params, searchParams]);
  const db = handle.db;
  const scope = ownerScope(who);
  if (!z.uuid().safeParse(id).success) notFound();
  const [t, format, locale] = await Promise.all([getTranslations("reports"), getFormatter(), getLocale()]);
  // Scoped to the owner and their tenure: anyone else's report id is simply not found.
  const report = scope ? await ownerReport(db, scope, id) : null;
  if (!report) notFound();
  const names = await platformNames(db, locale);
  const to = recipientOf(report, names, t("toCarrier"));
  const parties = partiesOf(report, names, { notGiven: t("senderNotGiven"), carrier: t("handledByCarrier") });
  const final = FINAL_REPORT_STATUSES.includes(report.status);
  const reason = knownReason(report.reason);
  const when = (d: Date) => format.dateTime(d, "moment");
  // Only what is true now: once a report is over, "sent, the answer will appear here" is not.
  const flash = final
    ? query.closed && report.status === "closed"
      ? t("closedMessage")
      : null
    : query.merged
      ? t("mergedMessage")
      : query.sent
        ? t(report.platformId ? "sentMessage" : report.companyName ? "sentToCarrierMessage" : "sentNoSenderMessage", { to })
        : null;

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/reports" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("listTitle")}
      </Link>
      {flash ? (
        <p role="status" className="mt-2 flex items-start gap-2 rounded-md border border-success bg-success-soft p-3 text-success">
          <CheckCircle2 aria-hidden className="mt-0.5 size-5 shrink-0" />
          {flash}
        </p>
      ) : null}
      <h1 className="mt-4 text-2xl font-bold sm:text-3xl">{t(`category.${report.category}`)}</h1>
      {report.original ? (
        <p className="mt-2 flex flex-wrap items-center gap-x-2 text-muted-foreground" data-testid="report-repeat-of">
          <Repeat aria-hidden className="size-4 shrink-0" />
          <span>{t("againOf", { date: when(report.original.receivedAt) })}</span>
          <Link href={`/reports/${report.original.id}`} className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
            {t("againOriginalLink")}
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="report-status-title" className="mt-6 rounded-lg border border-border bg-surface p-5" data-status={report.status}>
        <h2 id="report-status-title" className="sr-only">
          {t("statusTitle")}
        </h2>
        <div aria-live="polite">
          <Badge variant={REPORT_STATUS_VARIANT[report.status]} className="text-base whitespace-normal" data-testid="report-status">
            {t(`status.${report.status}`, { to })}
          </Badge>
          {reason ? <p className="mt-3">{t(`reasons.${reason}`, { to })}</p> : null}
          {report.note ? (
            <p className="mt-3 rounded-md bg-muted p-3 text-sm">
              <span className="font-medium">{t("noteFrom", { to })}</span> {report.note}
            </p>
          ) : null}
        </div>
        <Timeline
          title={t("timeline")}
          entries={report.events.map((e) => ({ at: e.at, label: t(`statusShort.${e.status}`) }))}
          className="mt-3"
          testId="report-timeline"
        />
      </section>

      <section aria-labelledby="report-message-title" className="mt-8">
        <h2 id="report-message-title" className="text-lg font-semibold">
          {t("messageTitle")}
        </h2>
        <p className="mt-1 text-sm text-muted-foreground">{t("messagePrivate")}</p>
        <blockquote className="mt-3 rounded-md border-l-4 border-primary bg-muted p-3 break-words whitespace-pre-wrap">{report.text}</blockquote>
        <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-muted-foreground">{t("channelLabel")}</dt>
          <dd>{t(`channel.${report.channel}`)}</dd>
          <dt className="font-medium text-muted-foreground">{t("platformLabel")}</dt>
          <dd className="break-words" data-testid="report-from">
            {parties.from}
          </dd>
          {report.sender && !parties.fromIsSender ? (
            <>
              <dt className="font-medium text-muted-foreground">{t("senderLabel")}</dt>
              <dd className="break-words">{report.sender}</dd>
            </>
          ) : null}
          <dt className="font-medium text-muted-foreground">{t("handledByLabel")}</dt>
          <dd data-testid="report-handler">{parties.handler}</dd>
          <dt className="font-medium text-muted-foreground">{t("receivedAtLabel")}</dt>
          <dd>{when(report.receivedAt)}</dd>
          {report.duplicates > 0 ? (
            <>
              <dt className="font-medium text-muted-foreground">{t("duplicatesLabel")}</dt>
              <dd>{t("duplicates", { count: report.duplicates })}</dd>
            </>
          ) : null}
        </dl>
        {report.evidence.length > 0 ? (
          <ul className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label={t("evidenceLabel")}>
            {report.evidence.map((file, index) => {
              const src = `/api/reports/${report.id}/evidence/${file.id}`;
              const name = t("evidenceItem", { n: index + 1 });
              return (
                <li key={file.id}>
                  {file.mime === "image/heic" ? (
                    <a href={src} className="flex min-h-24 items-center justify-center gap-2 rounded-md border border-border p-3 text-sm text-primary underline">
                      <FileImage aria-hidden className="size-5" />
                      {name} (HEIC)
                    </a>
                  ) : (
                    <a href={src} className="block overflow-hidden rounded-md border border-border">
                      {/* Served by our own route to the owner only: next/image would cache it. */}
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img src={src} alt={name} className="aspect-square w-full object-cover" />
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>

      {report.repeats.length > 0 ? (
        <section aria-labelledby="report-repeats-title" className="mt-8">
          <h2 id="report-repeats-title" className="text-lg font-semibold">
            {t("repeatsLabel")}
          </h2>
          <ul className="mt-2 flex flex-col" data-testid="report-repeats">
            {report.repeats.map((r) => (
              <li key={r.id}>
                <Link href={`/reports/${r.id}`} className="inline-flex min-h-11 items-center gap-2 font-medium text-primary underline underline-offset-4">
                  <Repeat aria-hidden className="size-4 shrink-0" />
                  {t("repeatItem", { date: when(r.receivedAt) })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {final ? (
        <section aria-labelledby="report-again-title" className="mt-8 rounded-lg border border-border p-5">
          <h2 id="report-again-title" className="text-lg font-semibold">
            {t("againTitle")}
          </h2>
          <p className="mt-2">{t("againBody")}</p>
          <Link
            href={`/reports/new?again=${report.id}`}
            className="mt-4 inline-flex min-h-11 items-center gap-2 rounded-md bg-primary px-4 font-medium text-primary-foreground hover:bg-primary/90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            <Repeat aria-hidden className="size-4" />
            {t("againLink")}
          </Link>
        </section>
      ) : (
        <CloseReportForm reportId={report.id} />
      )}

      <GuidanceWith12321
        text={prefilled12321({ category: report.category, channel: report.channel, sender: report.sender, receivedAt: report.receivedAt, text: report.text })}
      />
      <Link href={`/reports/${report.id}/record`} data-print="hide" className="mt-6 inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">{(await getTranslations("record"))("link")}</Link>
      <AutoRefresh active={!final && report.status !== "agent_review" && appClock().now().getTime() - report.createdAt.getTime() < REFRESH_FOR_MS} everyMs={3000} />
    </main>
  );
}
