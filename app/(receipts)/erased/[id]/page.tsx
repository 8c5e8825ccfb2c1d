import { CheckCircle2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import { ErasureKeptSection } from "@/components/erasure/kept-list";
import { prepareDatabase } from "@/db/startup";
import { COUNT_KEYS, erasureReceipt } from "@/lib/owners/erasure";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("erasure"))("doneTitle") };
}

/**
 * The receipt of "delete my data", shown right after it, signed out (GOV.UK "Confirmation page"):
 * the reference, what was removed (counts only), what is kept and why. It reads the erasure row
 * only, which names nobody, so the link gives nothing away.
 */
export default async function ErasedPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ handle }, t, format] = await Promise.all([prepareDatabase(), getTranslations("erasure"), getFormatter()]);
  const receipt = await erasureReceipt(handle.db, id);
  if (!receipt) notFound();
  const removed = COUNT_KEYS.filter((k) => k !== "platformsNotified" && receipt.counts[k] > 0);

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <div className="rounded-lg bg-success-soft p-6">
        <h1 className="flex items-center gap-3 text-2xl font-bold sm:text-3xl">
          <CheckCircle2 aria-hidden className="size-8 shrink-0 text-success" />
          {t("doneTitle")}
        </h1>
        <p className="mt-3 text-lg">{t("doneBody", { date: format.dateTime(receipt.erasedAt, "moment") })}</p>
        <p className="mt-3">
          {t("reference")} <strong className="font-mono break-all">{receipt.id}</strong>
        </p>
      </div>

      <section aria-labelledby="done-removed" className="mt-8">
        <h2 id="done-removed" className="text-xl font-semibold">
          {t("doneRemovedTitle")}
        </h2>
        <ul className="mt-3 list-disc space-y-1 pl-6">
          <li>{t("count.account")}</li>
          {removed.map((k) => (
            <li key={k}>{t(`count.${k}`, { count: receipt.counts[k] })}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="done-platforms" className="mt-8">
        <h2 id="done-platforms" className="text-xl font-semibold">
          {t("donePlatformsTitle")}
        </h2>
        <p className="mt-2">{receipt.counts.platformsNotified > 0 ? t("donePlatforms", { count: receipt.counts.platformsNotified }) : t("donePlatformsNone")}</p>
      </section>

      <ErasureKeptSection id="done-kept" />

      <section aria-labelledby="done-next" className="mt-8">
        <h2 id="done-next" className="text-xl font-semibold">
          {t("nextTitle")}
        </h2>
        <p className="mt-2">{t("nextBody")}</p>
        <p className="mt-4 flex flex-wrap gap-x-6">
          <Link href="/" className="inline-flex min-h-11 items-center font-medium text-primary underline-offset-4 hover:underline">
            {t("home")}
          </Link>
          <Link href="/privacy" className="inline-flex min-h-11 items-center font-medium text-primary underline-offset-4 hover:underline">
            {t("privacyLink")}
          </Link>
        </p>
      </section>
    </main>
  );
}
