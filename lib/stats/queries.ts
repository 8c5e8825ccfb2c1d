import "server-only";
import { count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { carriers, numberTenures, platforms } from "@/db/schema";
import { suppress } from "./suppression";

/** Tenure records per carrier and source; counts are owners' data, so small cells are suppressed. */
export async function tenuresByCarrier(db: Db) {
  const rows = await db
    .select({ carrier: carriers.code, nameZh: carriers.nameZh, nameEn: carriers.nameEn, source: numberTenures.source, n: count() })
    .from(numberTenures)
    .innerJoin(carriers, eq(numberTenures.carrierId, carriers.id))
    .groupBy(carriers.code, carriers.nameZh, carriers.nameEn, numberTenures.source);
  return rows.map((r) => ({ ...r, n: suppress(r.n) }));
}

/** The platform registry by category and status: counts of organisations, not people, so shown whole. */
export async function platformsByCategory(db: Db) {
  return db
    .select({ category: platforms.category, status: platforms.status, n: count() })
    .from(platforms)
    .groupBy(platforms.category, platforms.status)
    .orderBy(platforms.category);
}
