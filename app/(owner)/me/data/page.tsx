import { Download, FileImage, Trash2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { CaseKind, CaseStatus } from "@/db/enums";
import { LOOKUP_STATUSES, REPORT_CATEGORIES, REPORT_CHANNELS, REPORT_STATUSES, TENURE_SOURCES, UNBIND_STATUSES } from "@/db/enums";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { ownerExport } from "@/lib/owners/export";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformNames } from "@/lib/platforms/queries";
import { formatNumber } from "@/lib/phone/format";
import { CaseStatusBadge } from "../cases/case-parts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("data"))("title") };
}

const one = <T extends string>(list: readonly T[], value: string): T | null => ((list as readonly string[]).includes(value) ? (value as T) : null);

/**
 * "My data" (PIPL arts. 44–45): everything stored about the signed-in owner, read from the same
 * export as the download, so the page and the file never disagree.
 */
export default async function MyDataPage() {
  const owner = await requireOwner();
  const [t, tCases, tLookup, tUnbind, tReports, tSource, format, locale, label, { handle }] = await Promise.all([
    getTranslations("data"),
    getTranslations("ownerCases"),
    getTranslations("lookup"),
    getTranslations("unbind"),
    getTranslations("reports"),
    getTranslations("tenureSource"),
    getFormatter(),
    getLocale(),
    platformLabeler(),
    prepareDatabase(),
  ]);
  const data = await ownerExport(handle.db, {
    ownerId: owner.id,
    number: owner.number,
    now: appClock().now(),
    label: (p) => label(p).label,
    names: await platformNames(handle.db, locale),
  });
  const moment = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "moment") : t("never"));
  const day = (iso: string) => format.dateTime(new Date(iso), "day");
  const lookupStatus = (s: string) => {
    const status = one(LOOKUP_STATUSES, s);
    return status && status !== "pending" ? tLookup(`status.${status}`) : tLookup("status.late");
  };
  const unbindStatus = (s: string) => (one(UNBIND_STATUSES, s) ? tUnbind(`statusShort.${one(UNBIND_STATUSES, s)!}`) : s);
  const reportStatus = (s: string) => (one(REPORT_STATUSES, s) ? tReports(`statusShort.${one(REPORT_STATUSES, s)!}`) : s);
  const category = (s: string) => (one(REPORT_CATEGORIES, s) ? tReports(`category.${one(REPORT_CATEGORIES, s)!}`) : s);
  const channel = (s: string) => (one(REPORT_CHANNELS, s) ? tReports(`channel.${one(REPORT_CHANNELS, s)!}`) : s);
  const source = (s: string) => (one(TENURE_SOURCES, s) ? tSource(one(TENURE_SOURCES, s)!) : s);
  const kb = (bytes: number) => Math.max(1, Math.round(bytes / 1024));

  const sectionClass = "mt-10";
  const cardClass = "mt-4 rounded-lg border border-border p-4";
  const empty = <p className="mt-3 text-muted-foreground">{t("none")}</p>;

  return (
    <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/me" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("back")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-3 text-lg">{t("intro")}</p>

      <section aria-labelledby="download-title" className="mt-6 rounded-lg border border-border bg-surface p-5">
        <h2 id="download-title" className="text-lg font-semibold">
          {t("downloadTitle")}
        </h2>
        <p className="mt-2 text-muted-foreground">{t("downloadBody")}</p>
        <Button asChild className="mt-4">
          {/* A plain link: the route answers with Content-Disposition: attachment. */}
          <a href="/me/data/download" download>
            <Download aria-hidden />
            {t("download")}
          </a>
        </Button>
      </section>

      {!data ? (
        <p className="mt-8">{t("none")}</p>
      ) : (
        <>
          <section aria-labelledby="account-title" className={sectionClass}>
            <h2 id="account-title" className="text-xl font-semibold">
              {t("accountTitle")}
            </h2>
            <dl className="mt-4 grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
              <dt className="font-medium text-muted-foreground">{t("number")}</dt>
              <dd className="font-mono">{formatNumber(data.owner.number)}</dd>
              <dt className="font-medium text-muted-foreground">{t("firstSignIn")}</dt>
              <dd>{moment(data.owner.firstSignInAt)}</dd>
              <dt className="font-medium text-muted-foreground">{t("terms")}</dt>
              <dd>{t("termsValue", { version: data.owner.termsVersion, date: day(data.owner.termsAcceptedAt) })}</dd>
              <dt className="font-medium text-muted-foreground">{t("tenure")}</dt>
              <dd>{data.tenure ? t("tenureValue", { date: day(data.tenure.startedAt), source: source(data.tenure.source) }) : t("noTenure")}</dd>
              <dt className="font-medium text-muted-foreground">{t("lastSignIn")}</dt>
              <dd>{moment(data.sessions.lastSignInAt)}</dd>
              <dt className="font-medium text-muted-foreground">{t("lastVerified")}</dt>
              <dd>{moment(data.sessions.lastVerifiedAt)}</dd>
              <dt className="font-medium text-muted-foreground">{t("signedOutEverywhere")}</dt>
              <dd>{t("times", { count: data.sessions.signedOutEverywhere })}</dd>
            </dl>
            <p className="mt-3 text-sm text-muted-foreground">{t("sessionsNote")}</p>
          </section>

          <section aria-labelledby="consents-title" className={sectionClass}>
            <h2 id="consents-title" className="text-xl font-semibold">
              {t("consentsTitle")}
            </h2>
            {data.consents.length === 0
              ? empty
              : data.consents.map((c, i) => (
                  <div key={i} className={cardClass}>
                    <p className="font-medium">
                      {t("consentGiven", { date: moment(c.givenAt), version: c.textVersion })}
                      {c.withdrawnAt ? <span className="block text-muted-foreground">{t("consentWithdrawn", { date: moment(c.withdrawnAt) })}</span> : null}
                    </p>
                    <p className="mt-2 text-sm text-muted-foreground">{t("consentPlatforms", { count: c.platforms.length, list: c.platforms.join(locale === "en" ? ", " : "、") })}</p>
                  </div>
                ))}
          </section>

          <section aria-labelledby="lookups-title" className={sectionClass}>
            <h2 id="lookups-title" className="text-xl font-semibold">
              {t("lookupsTitle")}
            </h2>
            {data.lookups.length === 0
              ? empty
              : data.lookups.map((l) => (
                  <div key={l.id} className={cardClass}>
                    <h3 className="font-medium">{t("lookupAt", { date: moment(l.startedAt) })}</h3>
                    <ul className="mt-2 divide-y divide-border">
                      {l.results.map((r, i) => (
                        <li key={i} className="flex flex-col gap-0.5 py-2 sm:flex-row sm:justify-between sm:gap-4">
                          <span>{r.platform}</span>
                          <span className="text-muted-foreground">{lookupStatus(r.status)}</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
          </section>

          <section aria-labelledby="unbind-title" className={sectionClass}>
            <h2 id="unbind-title" className="text-xl font-semibold">
              {t("unbindTitle")}
            </h2>
            {data.unbindRequests.length === 0
              ? empty
              : data.unbindRequests.map((b) => (
                  <div key={b.id} className={cardClass}>
                    <h3 className="font-medium">
                      <Link href={`/unbind/${b.id}`} className="text-primary underline-offset-4 hover:underline">
                        {t("unbindAt", { date: moment(b.createdAt) })}
                      </Link>
                    </h3>
                    <ul className="mt-2 divide-y divide-border">
                      {b.items.map((item) => (
                        <li key={item.id} className="py-2">
                          <span className="flex flex-wrap items-center justify-between gap-2">
                            <span>{item.platform}</span>
                            <Badge variant="neutral">{unbindStatus(item.status)}</Badge>
                          </span>
                          <span className="mt-1 block text-sm text-muted-foreground">
                            {item.events.map((e) => `${unbindStatus(e.status)} ${moment(e.at)}`).join(" → ")}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
          </section>

          <section aria-labelledby="reports-title" className={sectionClass}>
            <h2 id="reports-title" className="text-xl font-semibold">
              {t("reportsTitle")}
            </h2>
            {data.reports.length === 0
              ? empty
              : data.reports.map((r) => (
                  <article key={r.id} aria-labelledby={`report-${r.id}`} className={cardClass}>
                    <h3 id={`report-${r.id}`} className="flex flex-wrap items-center justify-between gap-2 font-medium">
                      <Link href={`/reports/${r.id}`} className="text-primary underline-offset-4 hover:underline">
                        {t("reportAt", { channel: channel(r.channel), date: moment(r.receivedAt) })}
                      </Link>
                      <Badge variant="neutral">{reportStatus(r.status)}</Badge>
                    </h3>
                    <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                      <dt className="text-muted-foreground">{t("reportCategory")}</dt>
                      <dd>{category(r.category)}</dd>
                      <dt className="text-muted-foreground">{t("reportSender")}</dt>
                      <dd>{[r.platform ?? r.company, r.sender].filter(Boolean).join(" · ") || t("notGiven")}</dd>
                    </dl>
                    <blockquote className="mt-3 whitespace-pre-wrap break-words rounded-md bg-muted p-3">{r.text}</blockquote>
                    {r.files.length > 0 ? (
                      <ul className="mt-3 flex flex-col gap-1">
                        {r.files.map((f, i) => (
                          <li key={f.id}>
                            <a href={f.href} target="_blank" rel="noopener" className="inline-flex min-h-11 items-center gap-2 text-primary underline-offset-4 hover:underline">
                              <FileImage aria-hidden className="size-5" />
                              {t("file", { n: i + 1, type: f.mime.split("/")[1]!.toUpperCase(), kb: kb(f.bytes) })}
                            </a>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </article>
                ))}
          </section>

          <section aria-labelledby="cases-title" className={sectionClass}>
            <h2 id="cases-title" className="text-xl font-semibold">
              {t("casesTitle")}
            </h2>
            {data.cases.length === 0
              ? empty
              : data.cases.map((c) => (
                  <div key={c.id} className={cardClass}>
                    <p className="flex flex-wrap items-center justify-between gap-2 font-medium">
                      {/* In the owner's words, as on their case pages (every kind, help and tenure reviews too). */}
                      {tCases(`kind.${c.kind as CaseKind}`, { platform: c.platform ?? tCases("aPlatform") })}
                      <CaseStatusBadge status={c.status as CaseStatus} className="whitespace-normal" />
                    </p>
                    <p className="mt-1 text-sm text-muted-foreground">{t("caseOpened", { date: moment(c.createdAt) })}</p>
                    {c.replies.length + c.yourMessages.length > 0 ? (
                      <ul className="mt-2 flex flex-col gap-2">
                        {[...c.replies.map((m) => ({ ...m, mine: false })), ...c.yourMessages.map((m) => ({ ...m, mine: true }))]
                          .sort((a, b) => a.at.localeCompare(b.at))
                          .map((entry, i) => (
                            <li key={i} className="rounded-md bg-muted p-3">
                              <span className="block text-sm text-muted-foreground">{entry.mine ? `${tCases("entry.you")} · ${moment(entry.at)}` : t("reply", { date: moment(entry.at) })}</span>
                              <span className="whitespace-pre-wrap break-words">{entry.text}</span>
                            </li>
                          ))}
                      </ul>
                    ) : null}
                  </div>
                ))}
          </section>
        </>
      )}

      <section aria-labelledby="delete-title" className="mt-12 rounded-lg border border-danger p-5">
        <h2 id="delete-title" className="text-xl font-semibold">
          {t("deleteTitle")}
        </h2>
        <p className="mt-2">{t("deleteBody")}</p>
        <Button asChild variant="secondary" className="mt-4 border-danger text-danger">
          <Link href="/me/data/delete">
            <Trash2 aria-hidden />
            {t("deleteLink")}
          </Link>
        </Button>
      </section>
    </main>
  );
}
