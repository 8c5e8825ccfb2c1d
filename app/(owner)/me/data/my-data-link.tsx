import { getTranslations } from "next-intl/server";
import Link from "next/link";

/** The way to "my data" and "delete my data" from the number page (one line there). */
export async function MyDataLink() {
  const t = await getTranslations("data");
  return (
    <section aria-labelledby="my-data-title" className="mt-10 rounded-lg border border-border p-5">
      <h2 id="my-data-title" className="text-xl font-semibold">
        {t("linkTitle")}
      </h2>
      <p className="mt-2 text-muted-foreground">{t("linkBody")}</p>
      <Link href="/me/data" className="mt-2 inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4 hover:decoration-2">
        {t("title")}
      </Link>
    </section>
  );
}
