import { Languages } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import { setLocale } from "@/lib/i18n/actions";
import { locales } from "@/lib/i18n/config";
import { cn } from "@/lib/utils";

/** A form per language, so switching works before (and without) JavaScript. */
export async function LanguageSwitcher() {
  const current = await getLocale();
  const t = await getTranslations();
  return (
    <nav aria-label={t("nav.language")} className="flex items-center gap-1">
      <Languages aria-hidden className="size-4 text-muted-foreground" />
      {locales.map((locale) => {
        const active = locale === current;
        return (
          <form key={locale} action={setLocale}>
            <input type="hidden" name="locale" value={locale} />
            <button
              type="submit"
              lang={locale}
              aria-current={active ? "true" : undefined}
              aria-label={active ? undefined : t("nav.switchTo", { language: t(`languages.${locale}`) })}
              disabled={active}
              className={cn(
                "min-h-11 rounded-md px-3 text-sm font-medium",
                active ? "cursor-default text-foreground underline decoration-2 underline-offset-8" : "text-primary hover:bg-accent-soft",
              )}
            >
              {t(`languages.${locale}`)}
            </button>
          </form>
        );
      })}
    </nav>
  );
}
