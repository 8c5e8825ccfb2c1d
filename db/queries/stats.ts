import "server-only";
import { count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { carriers, numberTenures, platforms } from "@/db/schema";

/** Cells below this are shown as "fewer than K" so that no small group can be singled out. */
export const MIN_CELL = 5;

export type Cell = { value: number } | { suppressed: true };

export function suppress(value: number): Cell {
  return value > 0 && value < MIN_CELL ? { suppressed: true } : { value };
}

export async function tenuresByCarrier(db: Db) {
  const rows = await db
    .select({ carrier: carriers.code, nameZh: carriers.nameZh, nameEn: carriers.nameEn, source: numberTenures.source, n: count() })
    .from(numberTenures)
    .innerJoin(carriers, eq(numberTenures.carrierId, carriers.id))
    .groupBy(carriers.code, carriers.nameZh, carriers.nameEn, numberTenures.source);
  return rows.map((r) => ({ ...r, n: suppress(r.n) }));
}

export async function platformsByCategory(db: Db) {
  return db
    .select({ category: platforms.category, status: platforms.status, n: count() })
    .from(platforms)
    .groupBy(platforms.category, platforms.status)
    .orderBy(platforms.category);
}
