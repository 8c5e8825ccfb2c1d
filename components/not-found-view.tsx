import { SearchX } from "lucide-react";
import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";

/** The tab says what happened too: "Page not found · Reclaim" (the layout's title template). */
export async function notFoundMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("errors"))("notFoundTitle") };
}

export async function NotFoundView() {
  // Rendered per request: a prerendered page would carry no CSP nonce (STACK-NOTES 18).
  await connection();
  const t = await getTranslations("errors");
  return (
    <main id="main" className="mx-auto w-full max-w-xl flex-1 px-4 py-16 sm:px-6">
      <SearchX aria-hidden className="size-10 text-muted-foreground" />
      <h1 className="mt-4 text-2xl font-bold">{t("notFoundTitle")}</h1>
      <p className="mt-3 text-muted-foreground">{t("notFoundBody")}</p>
      {/* A full page load, not a client navigation: from a 404 the home page comes with its own title and state. */}
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- deliberate, see above */}
      <a
        href="/"
        className="mt-8 inline-flex min-h-11 items-center rounded-md bg-primary px-5 font-semibold text-primary-foreground no-underline hover:bg-primary-hover"
      >
        {t("home")}
      </a>
    </main>
  );
}
