import { getTranslations } from "next-intl/server";
import { TERMS_VERSION } from "@/lib/otp/config";

/** Terms and privacy share one layout: title, version, then plain sections. */
export async function LegalPage({ namespace }: { namespace: "terms" | "privacy" }) {
  const t = await getTranslations(namespace);
  const sections = t.raw("sections") as { heading: string; body: string }[];
  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted-foreground">{t("updated", { version: TERMS_VERSION })}</p>
      <p className="mt-6 text-lg">{t("intro")}</p>
      {sections.map((section) => (
        <section key={section.heading} className="mt-8">
          <h2 className="text-xl font-semibold">{section.heading}</h2>
          <p className="mt-2 text-muted-foreground">{section.body}</p>
        </section>
      ))}
    </main>
  );
}
