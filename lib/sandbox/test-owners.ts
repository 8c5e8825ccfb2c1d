import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { carriers, numberTenures } from "@/db/schema";
import { carrierSeed } from "@/db/seed-data";
import { env, type Env } from "@/lib/env";

/**
 * A test seam for end-to-end runs: the carrier's record of a number, written for a number a test
 * has just made up, so that every spec has an owner of its own (its own number, carrier and
 * tenure dates) instead of sharing the seeded demo number. `POST /api/dev/owners` takes it.
 *
 * It exists only where the dev SMS outbox shows every code: a developer's machine, or a production
 * build started for a test run (RECLAIM_E2E with RECLAIM_SANDBOX). A public sandbox has no such
 * path: there, carrier records come from the seed and from agents only.
 */
export function testOwnersEnabled(config: Pick<Env, "NODE_ENV" | "RECLAIM_E2E" | "RECLAIM_SANDBOX"> = env()): boolean {
  return config.NODE_ENV !== "production" || (config.RECLAIM_E2E && config.RECLAIM_SANDBOX);
}

const instant = z.iso.datetime({ offset: true });

export const testOwnerInput = z
  .object({
    number: z.string().regex(/^\+[1-9]\d{6,14}$/),
    carrier: z.enum(carrierSeed.map((c) => c.code) as [string, ...string[]]),
    /** Oldest first; at most the last one may be open (no `endedAt`). */
    tenures: z
      .array(
        z
          .object({
            startedAt: instant,
            endedAt: instant.optional(),
            simChangedAt: instant.optional(),
            source: z.enum(["carrier_record", "self_declared", "agent_confirmed"]).default("carrier_record"),
          })
          .strict(),
      )
      .min(1)
      .max(5)
      .refine((tenures) => tenures.slice(0, -1).every((t) => t.endedAt), "only the last tenure may be open"),
  })
  .strict();

export type TestOwnerInput = z.infer<typeof testOwnerInput>;

/**
 * Writes the carrier's tenure records of a number that has none. A number with any record is
 * refused (`exists`): a test seam never overwrites data, the seeded demo numbers included.
 */
export async function createTestOwner(db: Db, input: TestOwnerInput): Promise<{ ok: true; tenures: number } | { ok: false; error: "exists" | "unknown_carrier" }> {
  return db.transaction(async (tx) => {
    const [carrier] = await tx.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, input.carrier));
    if (!carrier) return { ok: false as const, error: "unknown_carrier" as const };
    const existing = await tx.select({ id: numberTenures.id }).from(numberTenures).where(eq(numberTenures.number, input.number)).limit(1);
    if (existing.length > 0) return { ok: false as const, error: "exists" as const };
    await tx.insert(numberTenures).values(
      input.tenures.map((t) => ({
        number: input.number,
        carrierId: carrier.id,
        startedAt: new Date(t.startedAt),
        endedAt: t.endedAt ? new Date(t.endedAt) : null,
        source: t.source,
        simChangedAt: t.simChangedAt ? new Date(t.simChangedAt) : null,
      })),
    );
    return { ok: true as const, tenures: input.tenures.length };
  });
}
