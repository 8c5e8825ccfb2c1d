import "server-only";
import { asc, eq } from "drizzle-orm";
import { getLocale, getTranslations } from "next-intl/server";
import type { DbOrTx } from "@/db";
import { platforms, type Platform } from "@/db/schema";
import { prepareDatabase } from "@/db/startup";

/** What labelling a platform needs. */
export type LabelledPlatform = Pick<Platform, "id" | "nameZh" | "nameEn" | "category" | "disclosure">;

export interface PlatformLabel {
  id: string;
  label: string;
  category: Platform["category"];
  categoryOnly: boolean;
}

/** id → letter, for category-only platforms that share their category with another one. */
export type CategoryLetters = ReadonlyMap<string, string>;

/**
 * How a platform is shown wherever its relation to a number shows (an owner's look-up and unbind
 * requests, and any staff view of them): its name in the reader's language, or, for a platform
 * that chose `disclosure: category`, only its category ("a lending platform") — never its name,
 * in either language. Two category-only platforms of one category are told apart by a letter
 * ("lending platform A / B", `categoryLettered`); `categoryName` gives the category's phrase
 * (messages: lookup.categoryOnly, lookup.categoryLettered).
 */
export function labelPlatform(
  p: LabelledPlatform,
  locale: string,
  categoryName: (category: Platform["category"], letter?: string) => string,
  letters: CategoryLetters = new Map(),
): PlatformLabel {
  const categoryOnly = p.disclosure === "category";
  return {
    id: p.id,
    label: categoryOnly ? categoryName(p.category, letters.get(p.id)) : locale === "en" ? p.nameEn : p.nameZh,
    category: p.category,
    categoryOnly,
  };
}

/**
 * Letters A, B, … for the category-only platforms of a category that has more than one, in the
 * order they joined (then by id): the same letter on every page and for every owner, and one that
 * does not move when a later platform joins. The order says nothing about the names.
 */
export function categoryLetters(list: readonly Pick<Platform, "id" | "category" | "disclosure" | "createdAt">[]): CategoryLetters {
  const byCategory = new Map<string, typeof list>();
  const sorted = list
    .filter((p) => p.disclosure === "category")
    .toSorted((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of sorted) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const letters = new Map<string, string>();
  for (const group of byCategory.values()) {
    if (group.length < 2) continue;
    group.forEach((p, i) => letters.set(p.id, letterOf(i)));
  }
  return letters;
}

/** A … Z, then AA, AB, … (a category with more than 26 category-only platforms is unlikely). */
function letterOf(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : letterOf(Math.floor(index / 26) - 1) + letterOf(index % 26);
}

/** The category-only platforms, whatever their status: a paused one keeps its letter. */
export async function loadCategoryLetters(db: DbOrTx): Promise<CategoryLetters> {
  const rows = await db
    .select({ id: platforms.id, category: platforms.category, disclosure: platforms.disclosure, createdAt: platforms.createdAt })
    .from(platforms)
    .where(eq(platforms.disclosure, "category"))
    .orderBy(asc(platforms.createdAt), asc(platforms.id));
  return categoryLetters(rows);
}

/** `labelPlatform` in this request's language, with the letters from the database. */
export async function platformLabeler(db?: DbOrTx): Promise<(p: LabelledPlatform) => PlatformLabel> {
  const [t, locale, letters] = await Promise.all([
    getTranslations("lookup"),
    getLocale(),
    (db ? Promise.resolve(db) : prepareDatabase().then(({ handle }) => handle.db)).then(loadCategoryLetters),
  ]);
  return (p) => labelPlatform(p, locale, (category, letter) => (letter ? t(`categoryLettered.${category}`, { letter }) : t(`categoryOnly.${category}`)), letters);
}
