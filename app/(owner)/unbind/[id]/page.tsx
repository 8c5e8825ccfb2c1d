import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import { PlatformIcon } from "@/components/platform-icon";
import { Timeline } from "@/components/timeline";
import { Badge } from "@/components/ui/badge";
import type { UnbindStatus } from "@/db/schema";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";
import { ownerBatch } from "@/lib/unbind/batch";
import { isFinal, REJECT_REASONS } from "@/lib/unbind/status";
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

/** One batch: a row per platform with its timeline, kept current until every platform answered. */
export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const owner = await requireOwner();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const [t, format, label, { handle }] = await Promise.all([getTranslations("unbind"), getFormatter(), platformLabeler(), prepareDatabase()]);
  // Scoped to the owner: another owner's batch id is simply not found.
  const batch = await ownerBatch(handle.db, owner.id, id);
  if (!batch) notFound();
  const rows = await platformsById(handle.db, batch.items.map((i) => i.platformId));
  const labels = new Map(rows.map((r) => [r.id, label(r)]));
  const done = batch.items.filter((i) => isFinal(i.status)).length;
  const date = (d: Date) => format.dateTime(d, "day");
  const statusText = (status: UnbindStatus, effectiveAt: Date | null) =>
    status === "scheduled" ? t("status.scheduled", { date: effectiveAt ? date(effectiveAt) : "—" }) : t(`status.${status}`);
  const reasonText = (status: UnbindStatus, reason: string | null) => {
    if (status === "rejected") return t(`reasons.${(REJECT_REASONS as readonly string[]).includes(reason ?? "") ? (reason as (typeof REJECT_REASONS)[number]) : "other"}`);
    if (status === "failed") return t(`reasons.${reason === "endpoint_gone" || reason === "unreachable" ? reason : "refused"}`);
    return null;
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
      <ul className="mt-4 divide-y divide-border rounded-lg border border-border">
        {batch.items.map((item) => {
          const l = labels.get(item.platformId)!;
          const reason = reasonText(item.status, item.reason);
          return (
            <li key={item.id} className="flex flex-col gap-2 px-4 py-4" data-status={item.status}>
              <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                <span className="flex items-center gap-3 font-medium">
                  <PlatformIcon category={l.category} className="size-5 shrink-0 text-primary" />
                  {l.label}
                </span>
                <Badge variant={VARIANT[item.status]} className="whitespace-normal">
                  {statusText(item.status, item.effectiveAt)}
                </Badge>
              </div>
              {item.status === "scheduled" ? <p className="text-sm text-muted-foreground">{t("scheduledNote")}</p> : null}
              {reason ? <p className="text-sm">{reason}</p> : null}
              {item.status === "needs_owner_action" && item.reason ? (
                <p className="rounded-md bg-muted p-3 text-sm">
                  <span className="font-medium">{t("instructions")}</span> {item.reason}
                </p>
              ) : null}
              <Timeline title={t("timeline")} entries={item.events.map((e) => ({ at: e.at, label: t(`statusShort.${e.status}`) }))} />
            </li>
          );
        })}
      </ul>
      <Link href={`/unbind/${batch.id}/record`} data-print="hide" className="mt-6 inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">{(await getTranslations("record"))("link")}</Link>
      <AutoRefresh active={!batch.completedAt || batch.items.some((i) => !isFinal(i.status))} />
    </main>
  );
}
