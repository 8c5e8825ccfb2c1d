import { getTranslations } from "next-intl/server";
import Link from "next/link";

export async function SiteFooter() {
  const t = await getTranslations("footer");
  return (
    <footer className="mt-16 border-t border-border bg-surface">
      <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 py-8 text-sm text-muted-foreground sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p className="max-w-prose">{t("about")}</p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href="/terms" className="text-primary underline">
            {t("terms")}
          </Link>
          <Link href="/privacy" className="text-primary underline">
            {t("privacy")}
          </Link>
          <Link href="/staff/login" className="text-primary underline">
            {t("staff")}
          </Link>
          <Link href="/status" className="text-primary underline">
            {t("health")}
          </Link>
          <span>{t("rights", { year: new Date().getFullYear() })}</span>
        </div>
      </div>
    </footer>
  );
}
