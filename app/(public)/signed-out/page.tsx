import { CheckCircle2 } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signedOut"))("title") };
}

/**
 * Where signing out lands (GOV.UK "You have signed out"): it says so, and how to come back, so an
 * owner on a shared computer can see it worked. `?all=1` after "sign out on all devices".
 */
export default async function SignedOutPage({ searchParams }: { searchParams: Promise<{ all?: string }> }) {
  const [t, { all }] = await Promise.all([getTranslations("signedOut"), searchParams]);
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <div role="status" className="flex items-start gap-3 rounded-lg border border-success/40 bg-success-soft p-5">
        <CheckCircle2 aria-hidden className="mt-1 size-6 shrink-0 text-success" />
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
          <p className="mt-2">{all === "1" ? t("everywhere") : t("thisDevice")}</p>
        </div>
      </div>
      <p className="mt-6">{t("again")}</p>
      <p className="mt-4 flex flex-wrap gap-x-6 gap-y-2">
        <Link href="/login" className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
          {t("signIn")}
        </Link>
        <Link href="/" className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
          {t("home")}
        </Link>
      </p>
    </main>
  );
}
