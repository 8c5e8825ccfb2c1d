import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import { PlatformIcon } from "@/components/platform-icon";
import { Timeline } from "@/components/timeline";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { UnbindStatus } from "@/db/schema";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { currentTenure } from "@/lib/owners/queries";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";
import { ownerBatch, type BatchView } from "@/lib/unbind/batch";
import { notRequestedPlatforms, WAITING_DEADLINES } from "@/lib/unbind/queries";
import { RESENT_BY_AGENT } from "@/lib/unbind/resend";
import { isFinal, REJECT_REASONS, waitingStep } from "@/lib/unbind/status";
import { AutoRefresh } from "@/components/auto-refresh";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("unbind"))("batchTitle") };
}

const VARIANT: Record<UnbindStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  queued: "neutral",
  sent: "neutral",
  accepted: "info",
  unbound: "success",
  scheduled: "info",
  rejected: "warning",
  needs_owner_action: "warning",
  failed: "danger",
};

const LOOKUP_PAGE = "/me/platforms";
const DAY_MS = 86_400_000;
const linkClass = "font-medium text-primary underline underline-offset-4 hover:decoration-2";

type Item = BatchView["items"][number];

/**
 * One batch: a row per platform saying what its answer means and what happens next, kept current
 * until every platform answered; then the bound platforms that no request has asked yet.
 */
export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const owner = await requireOwner();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const [t, tc, format, label, { handle }] = await Promise.all([getTranslations("unbind"), getTranslations("agentCase.owner"), getFormatter(), platformLabeler(), prepareDatabase()]);
  // Scoped to the owner: another owner's batch id is simply not found.
  const batch = await ownerBatch(handle.db, owner.id, id);
  if (!batch) notFound();
  const tenure = await currentTenure(handle.db, owner.number);
  const leftOut = tenure ? await notRequestedPlatforms(handle.db, owner.id, tenure.id) : [];
  const rows = await platformsById(handle.db, [...batch.items.map((i) => i.platformId), ...leftOut]);
  const labels = new Map(rows.map((r) => [r.id, label(r)]));
  const leftOutLabels = leftOut.map((pid) => labels.get(pid)!).sort((a, b) => a.label.localeCompare(b.label));
  // In the same order as on check answers, so a platform is found where it was before.
  const items = [...batch.items].sort((a, b) => labels.get(a.platformId)!.label.localeCompare(labels.get(b.platformId)!.label));
  const done = batch.items.filter((i) => isFinal(i.status)).length;
  const now = appClock().now();
  const date = (d: Date) => format.dateTime(d, "day");
  const retryDays = Math.max(1, Math.round(WAITING_DEADLINES.retryForMs / DAY_MS));
  const lookupLink = (chunks: React.ReactNode) => (
    <Link href={LOOKUP_PAGE} className={linkClass}>
      {chunks}
    </Link>
  );

  const statusText = (status: UnbindStatus, effectiveAt: Date | null) =>
    status === "scheduled" ? t("status.scheduled", { date: effectiveAt ? date(effectiveAt) : "—" }) : t(`status.${status}`);

  /** When carrier customer service last sent this platform's request again (lib/unbind/resend.ts), if ever. */
  const resentAt = (item: Item) => item.events.findLast((e) => e.reason === RESENT_BY_AGENT)?.at ?? null;

  /** What the answer means and what happens next, in plain words. */
  const meaning = (item: Item): React.ReactNode => {
    switch (item.status) {
      case "unbound":
        return <p>{t("meaning.unbound")}</p>;
      case "scheduled":
        return <p>{t("meaning.scheduled", { date: item.effectiveAt ? date(item.effectiveAt) : "—" })}</p>;
      case "needs_owner_action":
        return item.reason ? (
          <>
            <p>{t("meaning.needsAction")}</p>
            <p className="rounded-md bg-muted p-3">
              <span className="font-medium">{t("instructions")}</span> {item.reason}
            </p>
          </>
        ) : (
          <p>{t("meaning.needsActionGeneric")}</p>
        );
      case "rejected": {
        const reason = (REJECT_REASONS as readonly string[]).includes(item.reason ?? "") ? (item.reason as (typeof REJECT_REASONS)[number]) : "other";
        return (
          <>
            <p className="font-medium">{t(`reasons.${reason}`)}</p>
            {/* No account on the number: nothing to ask again or complain about. */}
            <p>{reason === "not_found" ? t("meaning.declinedDone") : t.rich("meaning.declinedNext", { link: lookupLink })}</p>
          </>
        );
      }
      case "failed": {
        const reason =
          item.reason === "endpoint_gone" ? t("reasons.endpoint_gone") : item.reason === "unreachable" ? t("reasons.unreachable", { days: retryDays }) : t("reasons.refused");
        return (
          <>
            <p className="font-medium">{reason}</p>
            <p>{t.rich("meaning.failedNext", { link: lookupLink })}</p>
          </>
        );
      }
      default: {
        const step = waitingStep(item, now, WAITING_DEADLINES);
        if (!step) return null;
        if (step.kind === "delivering") return <p>{t("meaning.delivering", { days: step.retryDays })}</p>;
        if (step.kind === "awaiting") return <p>{t("meaning.awaiting", { date: date(step.caseAt) })}</p>;
        return <p>{t("meaning.overdue", { days: Math.round(WAITING_DEADLINES.silenceMs / DAY_MS) })}</p>;
      }
    }
  };

  return (
    <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/unbind" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("listTitle")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("batchTitle")}</h1>
      <p className="mt-2 text-muted-foreground">{t("sentAt", { date: format.dateTime(batch.createdAt, "moment") })}</p>
      <p className="mt-4 font-medium" aria-live="polite" data-testid="batch-progress">
        {batch.completedAt ? t("complete") : t("progress", { done, total: batch.items.length })}
      </p>
      <ul className="mt-4 divide-y divide-border rounded-lg border border-border" data-testid="batch-items">
        {items.map((item) => {
          const l = labels.get(item.platformId)!;
          return (
            <li key={item.id} className="flex flex-col gap-2 px-4 py-4" data-status={item.status}>
              <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                <h2 className="flex items-center gap-3 text-base font-medium">
                  <PlatformIcon category={l.category} className="size-5 shrink-0 text-primary" />
                  {l.label}
                </h2>
                <Badge variant={VARIANT[item.status]} className="whitespace-normal">
                  {statusText(item.status, item.effectiveAt)}
                </Badge>
              </div>
              <div className="flex flex-col gap-2 text-sm" data-testid="outcome-meaning">
                {resentAt(item) ? <p data-testid="resent-by-agent">{tc("resentOn", { date: format.dateTime(resentAt(item)!, "moment") })}</p> : null}
                {meaning(item)}
              </div>
              <Timeline
                title={t("timeline")}
                entries={item.events.map((e) => ({ at: e.at, label: e.reason === RESENT_BY_AGENT ? tc("resent") : t(`statusShort.${e.status}`) }))}
              />
            </li>
          );
        })}
      </ul>

      {leftOutLabels.length > 0 ? (
        <section aria-labelledby="not-requested-title" className="mt-10 rounded-lg border border-border bg-surface p-5">
          <h2 id="not-requested-title" className="text-lg font-semibold">
            {t("notRequested.title")}
          </h2>
          <p className="mt-2">{t("notRequested.body")}</p>
          <ul className="mt-3 flex flex-col gap-2" data-testid="not-requested">
            {leftOutLabels.map((l) => (
              <li key={l.id} className="flex items-center gap-3">
                <PlatformIcon category={l.category} className="size-5 shrink-0 text-primary" />
                {l.label}
              </li>
            ))}
          </ul>
          {/* The same GET the look-up page's form makes: /unbind/new checks eligibility itself. */}
          <Button asChild variant="secondary" className="mt-4">
            <Link href={`/unbind/new?${new URLSearchParams(leftOutLabels.map((l) => ["p", l.id])).toString()}`}>
              {t("notRequested.action", { count: leftOutLabels.length })}
            </Link>
          </Button>
        </section>
      ) : null}
      <Link href={`/unbind/${batch.id}/record`} data-print="hide" className="mt-6 inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">{(await getTranslations("record"))("link")}</Link>
      <AutoRefresh active={!batch.completedAt || batch.items.some((i) => !isFinal(i.status))} />
    </main>
  );
}
