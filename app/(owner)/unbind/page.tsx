import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { currentTenure } from "@/lib/owners/queries";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";
import { ownerBatchList } from "@/lib/unbind/queries";
import { isFinal, outcomeSummary } from "@/lib/unbind/status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("unbind"))("listTitle") };
}

/** The owner's batches, newest first: which platforms each asked and how they answered. */
export default async function BatchListPage() {
  const owner = await requireOwner();
  const [t, format, label, { handle }] = await Promise.all([getTranslations("unbind"), getFormatter(), platformLabeler(), prepareDatabase()]);
  const tenure = await currentTenure(handle.db, owner.number);
  const batches = tenure ? await ownerBatchList(handle.db, owner.id, tenure.id) : [];
  const rows = await platformsById(handle.db, [...new Set(batches.flatMap((b) => b.items.map((i) => i.platformId)))]);
  // Category-only platforms by their category label, never their name (lib/platforms/labels.ts).
  const labels = new Map(rows.map((r) => [r.id, label(r).label]));
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("listTitle")}</h1>
      {batches.length === 0 ? (
        <p className="mt-6 text-muted-foreground">{t("listEmpty")}</p>
      ) : (
        <ul className="mt-6 divide-y divide-border rounded-lg border border-border">
          {batches.map((b) => {
            const total = b.items.length;
            const done = b.items.filter((i) => isFinal(i.status)).length;
            const names = b.items.map((i) => labels.get(i.platformId) ?? "").sort((x, y) => x.localeCompare(y));
            const summary = outcomeSummary(b.items.map((i) => i.status))
              .map(({ outcome, count }) => t(`summary.${outcome}`, { count }))
              .join(t("summaryJoin"));
            return (
              <li key={b.id} className="relative flex flex-col gap-2 px-4 py-4 hover:bg-muted/60 sm:flex-row sm:items-center sm:justify-between sm:gap-4" data-testid="batch-entry">
                <div className="flex flex-col gap-1">
                  <Link href={`/unbind/${b.id}`} className="font-medium text-primary underline-offset-4 after:absolute after:inset-0 hover:underline">
                    {format.dateTime(b.createdAt, "moment")}
                  </Link>
                  <p className="text-sm">{t("listPlatforms", { names: names.join(t("nameJoin")) })}</p>
                  <p className="text-sm font-medium" data-testid="batch-summary">
                    {summary}
                  </p>
                  <p className="text-sm text-muted-foreground">{t("listItem", { total, done })}</p>
                </div>
                <progress max={total} value={done} className="h-2 w-24 shrink-0 accent-primary" aria-label={t("progress", { done, total })} />
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
