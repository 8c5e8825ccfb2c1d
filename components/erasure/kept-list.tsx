import { getTranslations } from "next-intl/server";

/** What an erasure keeps and why: the same list before the deletion and on its receipt. */
const KEPT = ["counts", "audit", "carrier", "receipt", "previous"] as const;

export async function ErasureKeptSection({ id }: { id: string }) {
  const t = await getTranslations("erasure");
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-xl font-semibold">
        {t("keptTitle")}
      </h2>
      <ul className="mt-3 list-disc space-y-1 pl-6">
        {KEPT.map((key) => (
          <li key={key}>{t(`kept.${key}`)}</li>
        ))}
      </ul>
    </section>
  );
}
