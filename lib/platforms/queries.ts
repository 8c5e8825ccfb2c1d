import "server-only";
import { inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { platforms } from "@/db/schema";
import type { LabelledPlatform } from "./labels";

/** What labelling needs (lib/platforms/labels.ts) for the given platforms, in no particular order. */
export async function platformsById(db: Db, ids: string[]): Promise<LabelledPlatform[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn, category: platforms.category, disclosure: platforms.disclosure })
    .from(platforms)
    .where(inArray(platforms.id, ids));
}

/**
 * id → the platform's name in the owner's language, for the owner's own reports: the owner named
 * the platform themselves, so this says nothing about the number and category-only platforms are
 * named too. Anywhere a platform's relation to a number shows, label it instead (labels.ts).
 */
export async function platformNames(db: Db, locale: string): Promise<Map<string, string>> {
  const rows = await db.select({ id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn }).from(platforms);
  return new Map(rows.map((p) => [p.id, locale === "en" ? p.nameEn : p.nameZh]));
}
