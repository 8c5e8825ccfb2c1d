import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/guards";
import { logServerError } from "@/lib/errors";
import { LanguageSwitcher } from "./language-switcher";
import { OwnerNav } from "./owner-nav";

/** Whether a number owner is signed in. The header is on every page, error pages included, so it never throws. */
async function ownerSignedIn(): Promise<boolean> {
  try {
    return (await currentSession())?.kind === "owner";
  } catch (error) {
    logServerError("header", error);
    return false;
  }
}

export async function SiteHeader() {
  const [t, signedIn] = await Promise.all([getTranslations(), ownerSignedIn()]);
  return (
    <header className="border-b border-border bg-background">
      {/* One line on a 390px phone in both languages: the brand shrinks (its tagline may wrap), the switcher does not. */}
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-4 py-2 sm:px-6">
        <Link href="/" aria-label={t("brand.home")} className="flex min-h-11 min-w-0 items-center gap-2 rounded-md no-underline">
          <ShieldCheck aria-hidden className="size-7 shrink-0 text-primary" />
          <span className="flex min-w-0 flex-col leading-tight">
            <span className="text-lg font-semibold text-foreground">{t("brand.name")}</span>
            <span className="text-xs text-muted-foreground">{t("brand.tagline")}</span>
          </span>
        </Link>
        <LanguageSwitcher />
      </div>
      {/* Owners only: signed-out visitors and staff (who have their own bar) see no owner menu. */}
      {signedIn ? (
        <OwnerNav
          label={t("nav.ownerMenu")}
          menu={t("nav.menu")}
          items={[
            { href: "/me", label: t("nav.myNumber") },
            { href: "/unbind", label: t("nav.myRequests") },
            { href: "/reports", label: t("nav.myReports") },
            { href: "/me/data", label: t("nav.myData") },
          ]}
          signOut={{ href: "/sign-out", label: t("nav.signOut") }}
        />
      ) : null}
      <p className="bg-warning-soft px-4 py-1.5 text-center text-xs text-warning sm:text-sm">{t("nav.sandbox")}</p>
    </header>
  );
}
