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

/** The summary before sending: which platforms, what will happen; re-verify inline when needed. */
export default async function NewUnbindPage({ searchParams }: { searchParams: Promise<{ p?: string | string[] }> }) {
  const owner = await requireOwner();
  const [t, format, label, { handle }, { p }] = await Promise.all([getTranslations("unbind"), getFormatter(), platformLabeler(), prepareDatabase(), searchParams]);
  const tenure = await currentTenure(handle.db, owner.number);
  const wanted = new Set(([] as string[]).concat(p ?? []));
  const eligible = tenure ? await eligiblePlatforms(handle.db, owner.id, tenure.id) : [];
  const selected = eligible.filter((id) => wanted.has(id));
  const rows = await platformsById(handle.db, selected);
  const reverify = needsReverification((await lastVerifiedAt(handle.db, owner.id)) ?? undefined, appClock().now());

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("newTitle")}</h1>
      {!tenure || rows.length === 0 ? (
        <p className="mt-6 rounded-lg border border-border bg-surface p-5">
          {t("noneSelected")}{" "}
          <Link href="/me/platforms" className="font-medium text-primary underline underline-offset-4">
            {(await getTranslations("lookup"))("title")}
          </Link>
        </p>
      ) : (
        <>
          <p className="mt-4">{t("summaryIntro")}</p>
          <ul className="mt-3 divide-y divide-border rounded-lg border border-border">
            {rows.map((row) => {
              const l = label(row);
              return (
                <li key={row.id} className="flex items-center gap-3 px-4 py-3">
                  <PlatformIcon category={l.category} className="size-5 shrink-0 text-primary" />
                  {l.label}
                </li>
              );
            })}
          </ul>
          <p className="mt-4 text-muted-foreground">{t("whatHappens", { date: format.dateTime(tenure.startedAt, "day") })}</p>
          {reverify ? <ReverifyForm maskedNumber={maskNumber(owner.number)} /> : <ConfirmBatchForm platformIds={rows.map((r) => r.id)} />}
        </>
      )}
    </main>
  );
}
