import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PlatformIcon } from "@/components/platform-icon";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { needsReverification } from "@/lib/otp/service";
import { currentTenure, lastVerifiedAt } from "@/lib/owners/queries";
import { maskNumber } from "@/lib/phone/mask";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";
import { eligiblePlatforms } from "@/lib/unbind/batch";
import { ConfirmBatchForm, ReverifyForm } from "../forms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("unbind"))("newTitle") };
}

// The look-up results are where the selection is made; they keep no selection in the URL, so
// "back" and "change" both return there (its boxes start ticked again).
const LOOKUP_PAGE = "/me/platforms";

const linkClass = "inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4 hover:decoration-2";

/**
 * Check answers before sending (GOV.UK "Check answers"): what will be sent to whom, each answer
 * with a way to change it, then the send button; re-verify inline when the code is too old.
 */
export default async function NewUnbindPage({ searchParams }: { searchParams: Promise<{ p?: string | string[] }> }) {
  const owner = await requireOwner();
  const [t, tSource, format, label, { handle }, { p }] = await Promise.all([
    getTranslations("unbind"),
    getTranslations("tenureSource"),
    getFormatter(),
    platformLabeler(),
    prepareDatabase(),
    searchParams,
  ]);
  const tenure = await currentTenure(handle.db, owner.number);
  const wanted = new Set(([] as string[]).concat(p ?? []));
  const eligible = tenure ? await eligiblePlatforms(handle.db, owner.id, tenure.id) : [];
  const selected = eligible.filter((id) => wanted.has(id));
  const rows = await platformsById(handle.db, selected);
  const labelled = rows.map(label).sort((a, b) => a.label.localeCompare(b.label));
  // "Back" and "change" return to the look-up with these platforms still ticked.
  const lookupPage = selected.length > 0 ? `${LOOKUP_PAGE}?${new URLSearchParams(selected.map((id) => ["p", id])).toString()}` : LOOKUP_PAGE;
  const reverify = needsReverification((await lastVerifiedAt(handle.db, owner.id)) ?? undefined, appClock().now());

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href={lookupPage} className="inline-flex min-h-11 items-center gap-1 text-sm font-medium text-primary underline-offset-4 hover:underline">
        <ArrowLeft aria-hidden className="size-4" />
        {t("back")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("checkTitle")}</h1>
      {!tenure || rows.length === 0 ? (
        <p className="mt-6 rounded-lg border border-border bg-surface p-5">
          {t("noneSelected")}{" "}
          <Link href={LOOKUP_PAGE} className="font-medium text-primary underline underline-offset-4">
            {(await getTranslations("lookup"))("title")}
          </Link>
        </p>
      ) : (
        <>
          <dl className="mt-6 divide-y divide-border border-y border-border">
            <SummaryRow term={t("check.number")}>
              <span className="font-mono">{maskNumber(owner.number)}</span>
            </SummaryRow>
            <SummaryRow
              term={t("check.tenure")}
              change={
                // Only a date the owner declared is theirs to correct (on /me); a carrier record is not.
                tenure.source === "self_declared" ? (
                  <Link href="/me" className={linkClass}>
                    {t("check.change")}
                    <span className="sr-only"> {t("check.tenure")}</span>
                  </Link>
                ) : null
              }
            >
              {t("check.tenureValue", { date: format.dateTime(tenure.startedAt, "day"), source: tSource(tenure.source) })}
            </SummaryRow>
            <SummaryRow
              term={t("check.platforms")}
              change={
                <Link href={lookupPage} className={linkClass}>
                  {t("check.change")}
                  <span className="sr-only"> {t("check.platforms")}</span>
                </Link>
              }
            >
              <p className="mb-2 text-muted-foreground">{t("summaryIntro")}</p>
              <ul className="flex flex-col gap-2" data-testid="selected-platforms">
                {labelled.map((l) => (
                  <li key={l.id} className="flex items-center gap-3">
                    <PlatformIcon category={l.category} className="size-5 shrink-0 text-primary" />
                    {l.label}
                  </li>
                ))}
              </ul>
            </SummaryRow>
          </dl>
          <h2 className="mt-8 text-xl font-semibold">{t("check.sendTitle")}</h2>
          <p className="mt-2 text-muted-foreground">{t("whatHappens", { date: format.dateTime(tenure.startedAt, "day") })}</p>
          {reverify ? <ReverifyForm maskedNumber={maskNumber(owner.number)} /> : <ConfirmBatchForm platformIds={labelled.map((l) => l.id)} />}
        </>
      )}
    </main>
  );
}

/** One row of the summary list: the question, the answer, and a way to change it where there is one. */
function SummaryRow({ term, change, children }: { term: string; change?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-4 sm:grid-cols-[12rem_1fr_auto] sm:gap-4">
      <dt className="font-semibold">{term}</dt>
      <dd>{children}</dd>
      {change ? <dd className="sm:text-right">{change}</dd> : null}
    </div>
  );
}
