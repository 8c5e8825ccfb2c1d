import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog, carriers, numberTenures, owners } from "@/db/schema";
import { TENURE_CORRECTED } from "@/lib/tenure";

/** The number's current (open) tenure with its carrier's names, if any record exists. */
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

/** When the owner last proved the number by SMS code (sign-in or re-verification); null if never on record. */
export async function lastVerifiedAt(db: Db, ownerId: string): Promise<Date | null> {
  const [row] = await db.select({ lastVerifiedAt: owners.lastVerifiedAt }).from(owners).where(eq(owners.id, ownerId));
  return row?.lastVerifiedAt ?? null;
}

/** A re-verification code for the owner's own number was accepted at `verifiedAt`. */
export async function markVerified(db: Db, ownerId: string, verifiedAt: Date): Promise<void> {
  await db.update(owners).set({ lastVerifiedAt: verifiedAt }).where(eq(owners.id, ownerId));
}

/** The owner's corrections of a tenure's start date, newest first: when, and the date each replaced. */
export async function tenureCorrections(db: Db, tenureId: string): Promise<{ at: Date; previousStartedAt: Date; startedAt: Date }[]> {
  const rows = await db
    .select({ at: auditLog.at, metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.action, TENURE_CORRECTED), eq(auditLog.subjectType, "number_tenure"), eq(auditLog.subjectId, tenureId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id));
  return rows.flatMap(({ at, metadata }) => {
    const previous = typeof metadata?.previousStartedAt === "string" ? new Date(metadata.previousStartedAt) : null;
    const next = typeof metadata?.startedAt === "string" ? new Date(metadata.startedAt) : null;
    return previous && next ? [{ at, previousStartedAt: previous, startedAt: next }] : [];
  });
}
