import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { numberTenures } from "@/db/schema";

export async function listCarrierTenures(db: Db, carrierId: string, limit = 50) {
  return db
    .select({
      id: numberTenures.id,
      number: numberTenures.number,
      startedAt: numberTenures.startedAt,
      endedAt: numberTenures.endedAt,
      source: numberTenures.source,
      simChangedAt: numberTenures.simChangedAt,
    })
    .from(numberTenures)
    .where(eq(numberTenures.carrierId, carrierId))
    .orderBy(desc(numberTenures.startedAt))
    .limit(limit);
}
