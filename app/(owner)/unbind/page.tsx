import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { currentTenure } from "@/lib/owners/queries";
import { ownerBatches } from "@/lib/unbind/batch";
import { FINAL_STATUSES } from "@/lib/unbind/status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("unbind"))("listTitle") };
}

export default async function BatchListPage() {
  const owner = await requireOwner();
  const [t, format, { handle }] = await Promise.all([getTranslations("unbind"), getFormatter(), prepareDatabase()]);
  const tenure = await currentTenure(handle.db, owner.number);
  const batches = tenure ? await ownerBatches(handle.db, owner.id, tenure.id) : [];
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("listTitle")}</h1>
      {batches.length === 0 ? (
        <p className="mt-6 text-muted-foreground">{t("listEmpty")}</p>
      ) : (
        <ul className="mt-6 divide-y divide-border rounded-lg border border-border">
          {batches.map((b) => {
            const done = FINAL_STATUSES.reduce((sum, s) => sum + (b.counts[s] ?? 0), 0);
            return (
              <li key={b.id} className="relative flex items-center justify-between gap-4 px-4 py-3 hover:bg-muted/60">
                <span>
                  <Link href={`/unbind/${b.id}`} className="font-medium text-primary underline-offset-4 after:absolute after:inset-0 hover:underline">
                    {format.dateTime(b.createdAt, "moment")}
                  </Link>
                  <span className="block text-sm text-muted-foreground">{t("listItem", { total: b.total, done })}</span>
                </span>
                <progress max={b.total} value={done} className="h-2 w-24 accent-primary" aria-label={t("progress", { done, total: b.total })} />
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
