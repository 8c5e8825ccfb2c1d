import { MessageSquareWarning, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { prepareDatabase } from "@/db/startup";
import { forPage, ownerWithTenure } from "@/lib/auth/guards";
import { platformNames } from "@/lib/platforms/queries";
import { ownerReports, ownerScope } from "@/lib/reports/service";
import { partiesOf } from "./recipient";
import { REPORT_STATUS_VARIANT } from "./status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("listTitle") };
}

/** "My reports": each report with where it stands, newest first. */
export default async function ReportsPage() {
  const [who, { handle }, t, format, locale] = await Promise.all([forPage(ownerWithTenure), prepareDatabase(), getTranslations("reports"), getFormatter(), getLocale()]);
  const db = handle.db;
  const scope = ownerScope(who);
  const [list, names] = scope ? await Promise.all([ownerReports(db, scope), platformNames(db, locale)]) : [[], new Map<string, string>()];
  const words = { notGiven: t("senderNotGiven"), carrier: t("handledByCarrier") };

  return (
    <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold sm:text-3xl">{t("listTitle")}</h1>
        <Link
          href="/reports/new"
          className="inline-flex min-h-11 items-center gap-2 rounded-md bg-primary px-4 font-medium text-primary-foreground hover:bg-primary/90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        >
          <Plus aria-hidden className="size-4" />
          {t("newTitle")}
        </Link>
      </div>
      {list.length === 0 ? (
        <p className="mt-8 flex items-start gap-3 rounded-lg border border-border p-5 text-muted-foreground">
          <MessageSquareWarning aria-hidden className="mt-0.5 size-5 shrink-0" />
          {t("listEmpty")}
        </p>
      ) : (
        <ul className="mt-8 flex flex-col gap-3">
          {list.map((r) => {
            const { from, handler } = partiesOf(r, names, words);
            return (
              <li key={r.id} className="relative rounded-lg border border-border p-4 focus-within:bg-muted hover:bg-muted/60">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={`/reports/${r.id}`} className="font-semibold text-primary underline-offset-4 after:absolute after:inset-0 hover:underline">
                    {t(`category.${r.category}`)}
                  </Link>
                  <Badge variant={REPORT_STATUS_VARIANT[r.status]}>{t(`statusShort.${r.status}`)}</Badge>
                </div>
                <p className="mt-2 line-clamp-2 text-sm break-words">{r.text}</p>
                <p className="mt-2 text-sm text-muted-foreground">
                  {t("listMeta", { channel: t(`channel.${r.channel}`), date: format.dateTime(r.receivedAt, "moment") })}
                  {r.duplicates > 0 ? ` · ${t("duplicates", { count: r.duplicates })}` : ""}
                  {r.repeatOf ? ` · ${t("listRepeat")}` : ""}
                </p>
                {/* Who sent it and who has it are two things (a report to no platform is not "from" the carrier). */}
                <p className="mt-1 text-sm text-muted-foreground">{t("listParties", { from, handler })}</p>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
