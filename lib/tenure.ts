import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { carriers, numberTenures } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { carrierFromPrefix } from "@/lib/phone/carrier";

export type DeclareTenureResult = { ok: true } | { ok: false; error: "future" | "too_old" | "exists" };

/** The number's open tenure (the current holder's), or null when none is on record. */
export async function openTenure(db: Db, number: string) {
  const [row] = await db
    .select({ id: numberTenures.id, startedAt: numberTenures.startedAt, source: numberTenures.source, carrierId: numberTenures.carrierId })
    .from(numberTenures)
    .where(and(eq(numberTenures.number, number), isNull(numberTenures.endedAt)));
  return row ?? null;
}

const EARLIEST_TENURE = new Date("2000-01-01T00:00:00+08:00");

/**
 * "Not on record — tell us when you got this number": the owner's own date, saved as
 * self-declared until an agent confirms it. Refused when the number already has an open tenure.
 */
export async function declareTenure(
  db: Db,
  input: { ownerId: string; number: string; startedAt: Date; now: Date },
): Promise<DeclareTenureResult> {
  if (input.startedAt.getTime() > input.now.getTime()) return { ok: false, error: "future" };
  if (input.startedAt.getTime() < EARLIEST_TENURE.getTime()) return { ok: false, error: "too_old" };
  const code = await carrierFromPrefix(input.number);
  const [carrier] = code ? await db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, code)) : [];
  const inserted = await db
    .insert(numberTenures)
    .values({ number: input.number, carrierId: carrier?.id ?? null, startedAt: input.startedAt, source: "self_declared" })
    // The partial unique index allows one open tenure per number: a second declaration is a no-op.
    .onConflictDoNothing()
    .returning({ id: numberTenures.id });
  if (inserted.length === 0) return { ok: false, error: "exists" };
  await recordAudit(db, { actorType: "owner", actorId: input.ownerId, action: "tenure.self_declared", subjectType: "number_tenure", subjectId: inserted[0]!.id });
  return { ok: true };
}
