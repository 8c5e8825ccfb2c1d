import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import type { Platform } from "@/db/schema";

/** What labelling a platform needs. */
export type LabelledPlatform = Pick<Platform, "id" | "nameZh" | "nameEn" | "category" | "disclosure">;

export interface PlatformLabel {
  id: string;
  label: string;
  category: Platform["category"];
  categoryOnly: boolean;
}

/**
 * How a platform is shown wherever its relation to a number shows (an owner's look-up and unbind
 * requests, and any staff view of them): its name in the reader's language, or, for a platform
 * that chose `disclosure: category`, only its category ("a lending platform") — never its name,
 * in either language. `categoryName` gives the category's phrase (messages: lookup.categoryOnly).
 */
export function labelPlatform(p: LabelledPlatform, locale: string, categoryName: (category: Platform["category"]) => string): PlatformLabel {
  const categoryOnly = p.disclosure === "category";
  return {
    id: p.id,
    label: categoryOnly ? categoryName(p.category) : locale === "en" ? p.nameEn : p.nameZh,
    category: p.category,
    categoryOnly,
  };
}

/** `labelPlatform` in this request's language. */
export async function platformLabeler(): Promise<(p: LabelledPlatform) => PlatformLabel> {
  const [t, locale] = await Promise.all([getTranslations("lookup"), getLocale()]);
  return (p) => labelPlatform(p, locale, (category) => t(`categoryOnly.${category}`));
}
