import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { carriers, numberTenures } from "@/db/schema";

/** The number's current (open) tenure with its carrier, if any record exists. */
export async function currentTenure(db: Db, number: string) {
  const [row] = await db
    .select({
      id: numberTenures.id,
      startedAt: numberTenures.startedAt,
      source: numberTenures.source,
      carrierZh: carriers.nameZh,
      carrierEn: carriers.nameEn,
    })
    .from(numberTenures)
    .leftJoin(carriers, eq(carriers.id, numberTenures.carrierId))
    .where(and(eq(numberTenures.number, number), isNull(numberTenures.endedAt)));
  return row ?? null;
}
