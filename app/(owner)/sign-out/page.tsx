import { LogOut, MonitorSmartphone } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { requireOwner } from "@/lib/auth/guards";
import { returnPathOr } from "@/lib/auth/return-to";
import { ownerSignOut, ownerSignOutEverywhere } from "../me/actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("sessions"))("confirmTitle") };
}

/**
 * Signing out asks first, on a page of its own (so it works without JavaScript): this device, or
 * every device. "Cancel" goes back to the page the owner came from, if it is one of ours.
 */
export default async function SignOutPage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  const [, t, { from }] = await Promise.all([requireOwner(), getTranslations("sessions"), searchParams]);
  const back = returnPathOr(from);
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("confirmTitle")}</h1>
      <p className="mt-3 text-muted-foreground">{t("confirmBody")}</p>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:items-center">
        <form action={ownerSignOut}>
          <Button type="submit" size="lg" className="w-full sm:w-auto">
            <LogOut aria-hidden />
            {t("confirmSignOut")}
          </Button>
        </form>
        <Button asChild variant="link" size="lg">
          <Link href={back}>{t("cancel")}</Link>
        </Button>
      </div>

      <section aria-labelledby="everywhere-title" className="mt-12 rounded-lg border border-border p-5">
        <h2 id="everywhere-title" className="text-xl font-semibold">
          {t("everywhereTitle")}
        </h2>
        <p className="mt-2 text-muted-foreground">{t("intro")}</p>
        <form action={ownerSignOutEverywhere} className="mt-4">
          <Button type="submit" variant="secondary">
            <MonitorSmartphone aria-hidden />
            {t("signOutEverywhere")}
          </Button>
        </form>
      </section>
    </main>
  );
}
