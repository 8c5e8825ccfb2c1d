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
    <nav aria-label={t("nav.language")} className="flex shrink-0 items-center gap-0.5 sm:gap-1">
      {/* The icon gives way on a phone, so "中文 English" stays on one line beside the brand. */}
      <Languages aria-hidden className="hidden size-4 text-muted-foreground sm:block" />
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
                "min-h-11 whitespace-nowrap rounded-md px-2 text-sm font-medium sm:px-3",
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
