import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, carriers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { createTestCase, testCaseInput } from "./test-cases";
import { createTestOwner, testOwnerInput } from "./test-owners";

describe("the test-case seam", () => {
  let t: TestDatabase;
  const now = new Date("2026-12-01T12:00:00Z");
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t?.dispose());

  it("opens a case about a test number's open tenure, with its carrier, opened hours ago", async () => {
    const number = "+8613890000077";
    await createTestOwner(t.db, testOwnerInput.parse({ number, carrier: "cmcc", tenures: [{ startedAt: "2026-01-01T00:00:00Z" }] }));
    const result = await createTestCase(t.db, testCaseInput.parse({ number, kind: "tenure_review", openedHoursAgo: 72 }), now);
    expect(result.ok).toBe(true);
    const [c] = await t.db.select().from(agentCases).where(eq(agentCases.id, result.ok ? result.id : ""));
    const [cmcc] = await t.db.select().from(carriers).where(eq(carriers.code, "cmcc"));
    expect(c).toMatchObject({ kind: "tenure_review", carrierId: cmcc!.id, createdAt: new Date(now.getTime() - 72 * 3600_000) });
    // Past its 48-hour first response.
    expect(c!.firstResponseDueAt.getTime()).toBeLessThan(now.getTime());
  });

  it("refuses a number without a record, and input it does not know", async () => {
    expect(await createTestCase(t.db, { number: "+8613890000078", kind: "manual", openedHoursAgo: 1 }, now)).toEqual({ ok: false, error: "no_tenure" });
    expect(testCaseInput.safeParse({ number: "+8613890000078", kind: "owner_help", openedHoursAgo: 1 }).success).toBe(false);
    expect(testCaseInput.safeParse({ number: "x", kind: "manual", openedHoursAgo: 1 }).success).toBe(false);
  });
});
