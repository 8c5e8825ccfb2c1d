import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "./language-switcher";

export async function SiteHeader() {
  const t = await getTranslations();
  return (
    <header className="border-b border-border bg-background">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-2 sm:px-6">
        <Link href="/" aria-label={t("brand.home")} className="flex min-h-11 items-center gap-2 rounded-md no-underline">
          <ShieldCheck aria-hidden className="size-7 text-primary" />
          <span className="flex flex-col leading-tight">
            <span className="text-lg font-semibold text-foreground">{t("brand.name")}</span>
            <span className="text-xs text-muted-foreground">{t("brand.tagline")}</span>
          </span>
        </Link>
        <LanguageSwitcher />
      </div>
      <p className="bg-warning-soft px-4 py-1.5 text-center text-xs text-warning sm:text-sm">{t("nav.sandbox")}</p>
    </header>
  );
}
