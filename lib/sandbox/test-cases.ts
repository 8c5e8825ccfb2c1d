import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { numberTenures } from "@/db/schema";
import { openCase } from "@/lib/cases/cases";

/**
 * A test seam for end-to-end runs (`POST /api/dev/cases`, enabled exactly where
 * `testOwnersEnabled()` is): opens a case about the open tenure of a number a spec made with
 * `POST /api/dev/owners`, as if it had been opened `openedHoursAgo` ago — so a spec has cases of
 * its own in its carrier's queue, some already past their deadlines. Cases are opened through
 * lib/cases like any other; the seam never touches a number it did not get a record for.
 */
export const testCaseInput = z
  .object({
    number: z.string().regex(/^\+[1-9]\d{6,14}$/),
    kind: z.enum(["tenure_review", "manual"]),
    openedHoursAgo: z.number().min(0).max(60 * 24),
  })
  .strict();

export type TestCaseInput = z.infer<typeof testCaseInput>;

export async function createTestCase(db: Db, input: TestCaseInput, now: Date): Promise<{ ok: true; id: string } | { ok: false; error: "no_tenure" }> {
  const [tenure] = await db
    .select({ id: numberTenures.id, carrierId: numberTenures.carrierId })
    .from(numberTenures)
    .where(and(eq(numberTenures.number, input.number), isNull(numberTenures.endedAt)))
    .orderBy(desc(numberTenures.startedAt))
    .limit(1);
  if (!tenure) return { ok: false, error: "no_tenure" };
  const at = new Date(now.getTime() - input.openedHoursAgo * 3600_000);
  const { id } = await openCase(db, { kind: input.kind, subject: { tenureId: tenure.id }, ownerId: null, platformId: null, carrierId: tenure.carrierId, number: input.number, at });
  return { ok: true, id };
}
