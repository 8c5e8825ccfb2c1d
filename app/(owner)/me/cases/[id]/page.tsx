import { CircleCheckBig, Headset, UserRound } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { ownerCase } from "@/lib/cases/owner";
import { env } from "@/lib/env";
import { CaseStatusBadge, caseTitles } from "../case-parts";
import { CaseMessageForm } from "../message-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("ownerCases"))("caseTitle") };
}

/**
 * One of the owner's cases: where it stands, what happened as they may see it (no internal
 * notes; replies signed by the carrier's customer service, never an agent's name), and a way to
 * answer — or, once it is over, to ask for help again. Someone else's case, the number's
 * previous holder's, or an unknown id: 404.
 */
export default async function OwnerCasePage({ params }: { params: Promise<{ id: string }> }) {
  const [who, { handle }, { id }] = await Promise.all([requireOwner(), prepareDatabase(), params]);
  if (!z.uuid().safeParse(id).success) notFound();
  const view = await ownerCase(handle.db, who, id);
  if (!view) notFound();
  const [t, format, locale, title] = await Promise.all([getTranslations("ownerCases"), getFormatter(), getLocale(), caseTitles(handle.db, [view])]);
  const signature = view.carrier ? t("entry.signature", { carrier: locale === "en" ? view.carrier.nameEn : view.carrier.nameZh }) : t("entry.signatureNoCarrier");

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/me" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("back")}
      </Link>
      <h1 className="mt-4 text-2xl font-bold sm:text-3xl">{title(view)}</h1>
      <section aria-labelledby="case-status-title" className="mt-6 rounded-lg border border-border bg-surface p-5">
        <h2 id="case-status-title" className="text-sm font-medium text-muted-foreground">
          {t("statusLabel")}
        </h2>
        <div aria-live="polite" className="mt-2">
          <CaseStatusBadge status={view.status} className="text-base whitespace-normal" />
        </div>
        <p className="mt-3 text-sm text-muted-foreground">{t("opened", { date: format.dateTime(view.createdAt, "day") })}</p>
      </section>

      <section aria-labelledby="case-timeline-title" className="mt-8">
        <h2 id="case-timeline-title" className="text-lg font-semibold">
          {t("timelineTitle")}
        </h2>
        <ol className="mt-3 flex flex-col gap-3" data-testid="case-timeline">
          {view.entries.map((e) => (
            <li key={e.id} className={e.kind === "reply" ? "rounded-md border-l-4 border-primary bg-accent-soft p-3" : e.kind === "owner_reply" ? "rounded-md border-l-4 border-border bg-muted p-3" : "px-3 text-sm text-muted-foreground"}>
              <p className="flex flex-wrap items-center gap-x-2 text-sm">
                {e.kind === "reply" ? (
                  <span className="inline-flex items-center gap-1 font-semibold text-primary">
                    <Headset aria-hidden className="size-4" />
                    {signature}
                  </span>
                ) : e.kind === "owner_reply" ? (
                  <span className="inline-flex items-center gap-1 font-semibold">
                    <UserRound aria-hidden className="size-4" />
                    {t("entry.you")}
                  </span>
                ) : (
                  <span>{e.kind === "status" ? t("entry.status", { status: t(`status.${e.toStatus}`) }) : t("entry.opened")}</span>
                )}
                <time dateTime={e.at.toISOString()} className="text-muted-foreground">
                  {format.dateTime(e.at, "moment")}
                </time>
              </p>
              {e.kind === "reply" || e.kind === "owner_reply" ? <p className="mt-1 break-words whitespace-pre-wrap">{e.text}</p> : null}
            </li>
          ))}
        </ol>
      </section>

      {view.settled ? (
        <section aria-labelledby="case-over-title" className="mt-8 rounded-lg border border-border p-5">
          <h2 id="case-over-title" className="flex items-center gap-2 text-lg font-semibold">
            <CircleCheckBig aria-hidden className="size-5" />
            {t("settledTitle")}
          </h2>
          <p className="mt-2">{t("settledBody")}</p>
          <Link
            href="/me#contact-title"
            className="mt-4 inline-flex min-h-11 items-center gap-2 rounded-md bg-primary px-4 font-medium text-primary-foreground hover:bg-primary/90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            {t("contactAgain")}
          </Link>
        </section>
      ) : (
        <section aria-labelledby="case-answer-title" className="mt-8 rounded-lg border border-border p-5">
          <h2 id="case-answer-title" className="text-lg font-semibold">
            {t("answerTitle")}
          </h2>
          <p className="mt-2 text-muted-foreground">{t("whatNext", { hours: env().cases.firstResponseHours })}</p>
          <CaseMessageForm caseId={view.id} />
        </section>
      )}
    </main>
  );
}
