import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { carriers, numberTenures } from "@/db/schema";

export async function carrierById(db: Db, id: string) {
  const [row] = await db.select().from(carriers).where(eq(carriers.id, id));
  return row ?? null;
}

/**
 * The carrier's tenure records, newest first. They are owners' data: the caller audits the read
 * (lib/audit.ts), by id and row count, never by number.
 */
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
