import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import type { PlatformCategory } from "@/components/platform-icon";
import type { PlatformSummary } from "@/lib/platforms/lookup";

export interface PlatformLabel {
  id: string;
  label: string;
  category: PlatformCategory;
  categoryOnly: boolean;
}

/**
 * How owners see a platform: its name in their language, or only its category ("a lending
 * platform") for platforms that chose `disclosure: category`.
 */
export async function platformLabeler(): Promise<(p: Pick<PlatformSummary, "id" | "nameZh" | "nameEn" | "category" | "disclosure">) => PlatformLabel> {
  const [t, locale] = await Promise.all([getTranslations("lookup"), getLocale()]);
  return (p) => ({
    id: p.id,
    label: p.disclosure === "category" ? t(`categoryOnly.${p.category}`) : locale === "en" ? p.nameEn : p.nameZh,
    category: p.category,
    categoryOnly: p.disclosure === "category",
  });
}
