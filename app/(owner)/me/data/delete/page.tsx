import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireOwner } from "@/lib/auth/guards";
import { formatNumber } from "@/lib/phone/format";
import { ErasureKeptSection } from "@/components/erasure/kept-list";
import { EraseForm } from "./erase-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("erasure"))("title") };
}

const REMOVED = ["reports", "unbind", "lookups", "cases", "account"] as const;

/** "Delete my data": what goes, what stays and why, then the code step (lib/owners/erasure.ts). */
export default async function DeleteMyDataPage() {
  const owner = await requireOwner();
  const t = await getTranslations("erasure");
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/me/data" className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline-offset-4 hover:underline">
        {t("back")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-3 text-lg">{t("intro")}</p>

      <section aria-labelledby="removed-title" className="mt-8">
        <h2 id="removed-title" className="text-xl font-semibold">
          {t("removedTitle")}
        </h2>
        <ul className="mt-3 list-disc space-y-1 pl-6">
          {REMOVED.map((key) => (
            <li key={key}>{t(`removed.${key}`)}</li>
          ))}
        </ul>
      </section>
      <ErasureKeptSection id="kept-title" />
      <p className="mt-6 rounded-md border-l-4 border-warning bg-muted p-4">{t("warning")}</p>

      <EraseForm number={formatNumber(owner.number)} />
    </main>
  );
}
