import { and, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { auditLog, carriers, numberTenures } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { reviewTenure } from "@/lib/cases/owner";
import { timeZone } from "@/lib/i18n/config";
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

/** What the owner's date may not be, for a declaration and a correction alike. */
function dateRefusal(startedAt: Date, now: Date): "future" | "too_old" | null {
  if (startedAt.getTime() > now.getTime()) return "future";
  if (startedAt.getTime() < EARLIEST_TENURE.getTime()) return "too_old";
  return null;
}

/**
 * "Not on record — tell us when you got this number": the owner's own date, saved as
 * self-declared until an agent confirms it. Refused when the number already has an open tenure.
 */
export async function declareTenure(
  db: Db,
  input: { ownerId: string; number: string; startedAt: Date; now: Date },
): Promise<DeclareTenureResult> {
  const refused = dateRefusal(input.startedAt, input.now);
  if (refused) return { ok: false, error: refused };
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
  // A self-declared date is a guide until customer service confirms it: that is a case for them.
  await reviewTenure(db, { ownerId: input.ownerId, tenureId: inserted[0]!.id, carrierId: carrier?.id ?? null, number: input.number, at: input.now });
  return { ok: true };
}

export type CorrectTenureResult =
  | { ok: true; previousStartedAt: Date }
  | { ok: false; error: "future" | "too_old" | "unchanged" | "not_on_record" | "not_self_declared" };

/** The audit action a correction is recorded under; its metadata keeps the previous date. */
export const TENURE_CORRECTED = "tenure.corrected";

/**
 * The owner corrects the start date they declared. Only a self-declared date: a carrier record or
 * an agent's confirmation is not the owner's to change (they ask their carrier). The tenure stays
 * self-declared, and the previous date is kept in the audit log beside who changed it and when,
 * for customer service to review: the tenure's `tenure_review` case gets the correction as the
 * owner's entry (`describe` words it in the owner's language; without it, the two days), or is
 * opened with it when none is active.
 */
export async function correctTenure(
  db: Db,
  input: { ownerId: string; number: string; startedAt: Date; now: Date; describe?: (previous: Date, startedAt: Date) => string },
): Promise<CorrectTenureResult> {
  const refused = dateRefusal(input.startedAt, input.now);
  if (refused) return { ok: false, error: refused };
  const result = await db.transaction(async (tx) => {
    // Locked, so two corrections at once each record the date they replaced.
    const [open] = await tx
      .select({ id: numberTenures.id, startedAt: numberTenures.startedAt, source: numberTenures.source, carrierId: numberTenures.carrierId })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, input.number), isNull(numberTenures.endedAt)))
      .for("update");
    if (!open) return { ok: false, error: "not_on_record" } as const;
    if (open.source !== "self_declared") return { ok: false, error: "not_self_declared" } as const;
    if (open.startedAt.getTime() === input.startedAt.getTime()) return { ok: false, error: "unchanged" } as const;
    await tx.update(numberTenures).set({ startedAt: input.startedAt }).where(eq(numberTenures.id, open.id));
    await tx.insert(auditLog).values({
      at: input.now,
      actorType: "owner",
      actorId: input.ownerId,
      action: TENURE_CORRECTED,
      subjectType: "number_tenure",
      subjectId: open.id,
      // Dates only: no number, nothing the owner typed.
      metadata: { previousStartedAt: open.startedAt.toISOString(), startedAt: input.startedAt.toISOString(), source: "self_declared" },
    });
    return { ok: true, previousStartedAt: open.startedAt, tenure: open } as const;
  });
  if (!result.ok) return result;
  const note = input.describe ? input.describe(result.previousStartedAt, input.startedAt) : `${beijingDay(result.previousStartedAt)} → ${beijingDay(input.startedAt)}`;
  await reviewTenure(db, { ownerId: input.ownerId, tenureId: result.tenure.id, carrierId: result.tenure.carrierId, number: input.number, at: input.now, note });
  return { ok: true, previousStartedAt: result.previousStartedAt };
}

/** A day as the owner typed it (YYYY-MM-DD, Beijing time). */
const beijingDay = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(d);

export type ConfirmTenureResult =
  | { ok: true; previousStartedAt: Date; startedAt: Date; previousSource: "carrier_record" | "self_declared" | "agent_confirmed" }
  | { ok: false; error: "future" | "too_old" | "not_found" };

/**
 * Carrier customer service confirms a tenure's start, or corrects it (`startedAt` given): the
 * tenure becomes `agent_confirmed`, the strongest source after a carrier record and one the owner
 * may no longer change (correctTenure refuses it). The caller checks the carrier scope and writes
 * the timeline and audit rows (lib/agent/case-work.ts), in the same transaction.
 */
export async function confirmTenureStart(db: DbOrTx, input: { tenureId: string; startedAt?: Date; now: Date }): Promise<ConfirmTenureResult> {
  if (input.startedAt) {
    const refused = dateRefusal(input.startedAt, input.now);
    if (refused) return { ok: false, error: refused };
  }
  const [row] = await db
    .select({ startedAt: numberTenures.startedAt, endedAt: numberTenures.endedAt, source: numberTenures.source })
    .from(numberTenures)
    .where(eq(numberTenures.id, input.tenureId))
    .for("update");
  if (!row) return { ok: false, error: "not_found" };
  const startedAt = input.startedAt ?? row.startedAt;
  // A start after the tenure ended would break the order the table checks: refused as not possible.
  if (row.endedAt && startedAt.getTime() >= row.endedAt.getTime()) return { ok: false, error: "future" };
  await db.update(numberTenures).set({ startedAt, source: "agent_confirmed" }).where(eq(numberTenures.id, input.tenureId));
  return { ok: true, previousStartedAt: row.startedAt, startedAt, previousSource: row.source };
}
