import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carriers, numberTenures } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { openTenure } from "@/lib/tenure";
import { createTestOwner, testOwnerInput, testOwnersEnabled } from "./test-owners";

describe("the test-owner seam", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t?.dispose());

  it("exists in development and tests, and in production only for an end-to-end sandbox run", () => {
    expect(testOwnersEnabled({ NODE_ENV: "development", RECLAIM_E2E: false, RECLAIM_SANDBOX: false })).toBe(true);
    expect(testOwnersEnabled({ NODE_ENV: "test", RECLAIM_E2E: false, RECLAIM_SANDBOX: false })).toBe(true);
    expect(testOwnersEnabled({ NODE_ENV: "production", RECLAIM_E2E: true, RECLAIM_SANDBOX: true })).toBe(true);
    // A public sandbox, a production test run that is not a sandbox, and production itself: none.
    expect(testOwnersEnabled({ NODE_ENV: "production", RECLAIM_E2E: false, RECLAIM_SANDBOX: true })).toBe(false);
    expect(testOwnersEnabled({ NODE_ENV: "production", RECLAIM_E2E: true, RECLAIM_SANDBOX: false })).toBe(false);
    expect(testOwnersEnabled({ NODE_ENV: "production", RECLAIM_E2E: false, RECLAIM_SANDBOX: false })).toBe(false);
  });

  it("writes a fresh number's carrier record: a previous tenure and the open one, with the carrier", async () => {
    const number = "+8613890000001";
    const input = testOwnerInput.parse({
      number,
      carrier: "cmcc",
      tenures: [
        { startedAt: "2019-06-01T00:00:00+08:00", endedAt: "2025-12-10T00:00:00+08:00" },
        { startedAt: "2026-03-15T10:30:00+08:00", simChangedAt: "2026-11-26T20:15:00+08:00" },
      ],
    });
    expect(await createTestOwner(t.db, input)).toEqual({ ok: true, tenures: 2 });
    const open = await openTenure(t.db, number);
    const [cmcc] = await t.db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, "cmcc"));
    expect(open).toMatchObject({ source: "carrier_record", startedAt: new Date("2026-03-15T02:30:00Z"), carrierId: cmcc!.id });
    const rows = await t.db.select().from(numberTenures).where(eq(numberTenures.number, number)).orderBy(numberTenures.startedAt);
    expect(rows.map((r) => [r.endedAt?.toISOString() ?? null, r.simChangedAt?.toISOString() ?? null])).toEqual([
      ["2025-12-09T16:00:00.000Z", null],
      [null, "2026-11-26T12:15:00.000Z"],
    ]);
  });

  it("never overwrites: a number with any record (the seeded demo number too) is refused and left as it was", async () => {
    const before = await t.db.$count(numberTenures, eq(numberTenures.number, DEMO_OWNER_NUMBER));
    const input = testOwnerInput.parse({ number: DEMO_OWNER_NUMBER, carrier: "cucc", tenures: [{ startedAt: "2026-11-01T00:00:00Z" }] });
    expect(await createTestOwner(t.db, input)).toEqual({ ok: false, error: "exists" });
    expect(await t.db.$count(numberTenures, eq(numberTenures.number, DEMO_OWNER_NUMBER))).toBe(before);
  });

  it("takes only well-formed input: E.164, a seeded carrier, dates with offsets, only the last tenure open, nothing else", () => {
    const ok = { number: "+8618690000001", carrier: "cucc", tenures: [{ startedAt: "2024-09-02T09:00:00+08:00" }] };
    expect(testOwnerInput.safeParse(ok).success).toBe(true);
    for (const bad of [
      { ...ok, number: "18690000001" },
      { ...ok, carrier: "acme" },
      { ...ok, tenures: [] },
      { ...ok, tenures: [{ startedAt: "yesterday" }] },
      { ...ok, tenures: [{ startedAt: "2020-01-01T00:00:00Z" }, { startedAt: "2024-01-01T00:00:00Z" }] },
      { ...ok, tenures: [{ startedAt: "2024-09-02T09:00:00+08:00", owner: "x" }] },
      { ...ok, admin: true },
    ]) {
      expect(testOwnerInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
