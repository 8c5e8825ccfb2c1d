"use client";

import { AlertTriangle, Loader2 } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";

/** Shown by every audience's error.tsx: says what happened, keeps the user's way out. */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main id="main" className="mx-auto w-full max-w-xl flex-1 px-4 py-16 sm:px-6">
      <AlertTriangle aria-hidden className="size-10 text-danger" />
      <h1 ref={heading} tabIndex={-1} className="mt-4 text-2xl font-bold">
        {t("title")}
      </h1>
      <p className="mt-3 text-muted-foreground">{t("body")}</p>
      {error.digest ? <p className="mt-2 text-sm text-muted-foreground">{t("reference", { digest: error.digest })}</p> : null}
      <div className="mt-8 flex flex-wrap gap-3">
        <button
          type="button"
          onClick={reset}
          className="min-h-11 rounded-md bg-primary px-5 font-semibold text-primary-foreground hover:bg-primary-hover"
        >
          {t("retry")}
        </button>
        <Link href="/" className="inline-flex min-h-11 items-center rounded-md border border-border px-5 font-semibold text-primary no-underline">
          {t("home")}
        </Link>
      </div>
    </main>
  );
}

export function RouteLoading() {
  const t = useTranslations("loading");
  return (
    <main id="main" className="flex flex-1 items-center justify-center px-4 py-16" aria-busy="true">
      <p role="status" className="flex items-center gap-3 text-muted-foreground">
        <Loader2 aria-hidden className="size-5 animate-spin motion-reduce:animate-none" />
        {t("label")}
      </p>
    </main>
  );
}
