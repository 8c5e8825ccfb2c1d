import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { RESENT_BY_AGENT } from "@/lib/unbind/resend";
import { AnswersTable, RecordFacts, RecordToolbar, RecordUse } from "@/components/record-parts";
import type { UnbindStatus } from "@/db/schema";
import { prepareDatabase } from "@/db/startup";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { platformLabeler } from "@/lib/platforms/labels";
import { unbindRecord } from "@/lib/unbind/record";
import { isFinal, REJECT_REASONS } from "@/lib/unbind/status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("record"))("unbindTitle") };
}

/**
 * A printable record of one unbind batch, for the carrier, 12300 or 12321: what was asked of
 * whom and when, and every answer with its date. The owner's own, in their current tenure only.
 */
export default async function UnbindRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const [who, { handle }, { id }] = await Promise.all([forPage(ownerWithTenure), prepareDatabase(), params]);
  if (!z.uuid().safeParse(id).success || !who.tenure) notFound();
  const record = await unbindRecord(handle.db, { id: who.id, number: who.number, tenureId: who.tenure.id }, id, appClock().now());
  if (!record) notFound();
  const [t, tu, ts, tc, format, label, locale] = await Promise.all([
    getTranslations("record"),
    getTranslations("unbind"),
    getTranslations("tenureSource"),
    getTranslations("agentCase.owner"),
    getFormatter(),
    platformLabeler(),
    getLocale(),
  ]);
  // By name in the reader's language, so a reader finds a platform on paper as in a list.
  const items = record.items.map((item) => ({ ...item, label: label(item.platform).label })).sort((a, b) => a.label.localeCompare(b.label, locale));
  const day = (d: Date) => format.dateTime(d, "day");
  const moment = (d: Date) => format.dateTime(d, "moment");
  const done = record.items.filter((i) => isFinal(i.status)).length;
  const statusText = (status: UnbindStatus, effectiveAt: Date | null) =>
    status === "scheduled" ? tu("status.scheduled", { date: effectiveAt ? day(effectiveAt) : "—" }) : tu(`status.${status}`);
  const reasonText = (status: UnbindStatus, reason: string | null, instructions: string | null) => {
    if (status === "rejected") return tu(`reasons.${(REJECT_REASONS as readonly string[]).includes(reason ?? "") ? (reason as (typeof REJECT_REASONS)[number]) : "other"}`);
    if (status === "failed") return tu(`reasons.${reason === "endpoint_gone" || reason === "unreachable" ? reason : "refused"}`);
    if (status === "needs_owner_action" && instructions) return t("instructions", { text: instructions });
    return null;
  };

  return (
    <main id="main" className="record mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <RecordToolbar back={`/unbind/${record.batchId}`} backLabel={t("backToBatch")} />
      <article aria-labelledby="record-title" className="mt-6">
        <h1 id="record-title" className="text-2xl font-bold sm:text-3xl">
          {t("unbindTitle")}
        </h1>
        <p className="mt-2 text-muted-foreground">{t("unbindIntro")}</p>
        <RecordFacts
          className="record-block mt-6 rounded-lg border border-border bg-surface p-5"
          rows={[
            [t("reference"), <strong key="ref" className="font-mono text-lg" data-testid="record-reference">{record.reference}</strong>],
            [t("fullId"), <span key="id" className="font-mono text-sm break-all">{record.batchId}</span>],
            [t("number"), <span key="n" data-testid="record-number">{record.maskedNumber}</span>],
            [t("tenure"), t("tenureValue", { date: day(record.tenure.startedAt), source: ts(record.tenure.source) })],
            [t("verifiedAt"), moment(record.verifiedAt)],
            [t("sentAt"), moment(record.sentAt)],
            [t("currentState"), record.completedAt ? t("completeAt", { date: moment(record.completedAt) }) : t("progress", { done, total: record.items.length })],
          ]}
        />

        <section aria-labelledby="record-asked-title" className="record-block mt-8">
          <h2 id="record-asked-title" className="text-lg font-semibold">
            {t("askedTitle")}
          </h2>
          <p className="mt-2">{t("asked", { date: day(record.tenure.startedAt) })}</p>
        </section>

        <section aria-labelledby="record-platforms-title" className="mt-8">
          <h2 id="record-platforms-title" className="text-lg font-semibold">
            {t("platformsTitle", { count: record.items.length })}
          </h2>
          <ul className="mt-3 flex flex-col gap-4">
            {items.map((item) => {
              const reason = reasonText(item.status, item.reason, item.instructions);
              return (
                <li key={item.requestId} className="record-block rounded-lg border border-border p-4" data-status={item.status}>
                  <h3 className="font-semibold">{item.label}</h3>
                  <RecordFacts
                    className="mt-2 text-sm"
                    rows={[
                      [t("requestNumber"), <span key="r"><span className="font-mono">{item.reference}</span> <span className="font-mono text-xs break-all text-muted-foreground">({item.requestId})</span></span>],
                      [
                        t("currentState"),
                        <span key="s" data-testid="record-item-status">
                          {statusText(item.status, item.effectiveAt)}
                          {reason ? <span className="block">{reason}</span> : null}
                        </span>,
                      ],
                      [t("attempts"), t(item.delivery === "delivered" ? "attemptsValue" : item.delivery === "dead" ? "attemptsFailed" : "attemptsPending", { count: item.attempts })],
                    ]}
                  />
                  <AnswersTable
                    caption={`${t("answersTitle")}: ${item.label}`}
                    entries={item.events.map((e) => ({ at: e.at, what: e.reason === RESENT_BY_AGENT ? tc("resent") : t(`unbindEvent.${e.status}`), detail: e.status === "scheduled" ? null : reasonText(e.status, e.reason, e.instructions) }))}
                  />
                </li>
              );
            })}
          </ul>
        </section>

        <RecordUse generatedAt={record.generatedAt} />
      </article>
    </main>
  );
}
