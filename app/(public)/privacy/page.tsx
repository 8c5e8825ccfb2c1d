import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { TERMS_VERSION } from "@/lib/otp/config";
import { DATA_CONTROLLER, RIGHT_PATHS } from "@/lib/privacy";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("privacy"))("title") };
}

const RIGHTS = ["access", "copy", "correction", "deletion", "consent", "explanation", "complaint"] as const;

/** The privacy notice: what is kept and why, who is responsible, and a working path for every right. */
export default async function PrivacyPage() {
  const [t, locale] = await Promise.all([getTranslations("privacy"), getLocale()]);
  const sections = t.raw("sections") as { heading: string; body: string }[];
  const name = locale === "en" ? DATA_CONTROLLER.nameEn : DATA_CONTROLLER.nameZh;
  const linkClass = "inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4 hover:decoration-2";
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted-foreground">{t("updated", { version: TERMS_VERSION })}</p>
      <p className="mt-6 text-lg">{t("intro")}</p>

      <section aria-labelledby="controller-title" className="mt-8">
        <h2 id="controller-title" className="text-xl font-semibold">
          {t("controllerTitle")}
        </h2>
        <p className="mt-2 text-muted-foreground">
          {t("controllerBody", { name })}
        </p>
        <a href={`mailto:${DATA_CONTROLLER.email}`} className={linkClass}>
          {DATA_CONTROLLER.email}
        </a>
      </section>

      {sections.map((section) => (
        <section key={section.heading} className="mt-8">
          <h2 className="text-xl font-semibold">{section.heading}</h2>
          <p className="mt-2 text-muted-foreground">{section.body}</p>
        </section>
      ))}

      <section aria-labelledby="rights-title" className="mt-8">
        <h2 id="rights-title" className="text-xl font-semibold">
          {t("rightsTitle")}
        </h2>
        <p className="mt-2 text-muted-foreground">{t("rightsIntro")}</p>
        <ul className="mt-3 divide-y divide-border rounded-lg border border-border">
          {RIGHTS.map((right) => {
            const href = RIGHT_PATHS[right];
            const label = t(`rights.${right}.link`);
            return (
              <li key={right} className="px-4 py-3">
                <p className="font-medium">{t(`rights.${right}.title`)}</p>
                {href.startsWith("mailto:") ? (
                  <a href={href} className={linkClass}>
                    {label}
                  </a>
                ) : (
                  <Link href={href} className={linkClass}>
                    {label}
                  </Link>
                )}
                {right === "complaint" ? <p className="text-sm text-muted-foreground">{t("rights.complaint.body")}</p> : null}
              </li>
            );
          })}
        </ul>
        <p className="mt-3 text-sm text-muted-foreground">{t("signInNote")}</p>
      </section>
    </main>
  );
}
