import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carriers, numberTenures } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { declareTenure } from "./tenure";

describe("self-declared tenure", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-28T10:00:00+08:00");
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("is saved as self-declared with the carrier the prefix belongs to", async () => {
    const number = "+8618620009999";
    expect(await declareTenure(t.db, { ownerId: "o1", number, startedAt: new Date("2025-02-01"), now })).toEqual({ ok: true });
    const [row] = await t.db.select().from(numberTenures).innerJoin(carriers, eq(carriers.id, numberTenures.carrierId)).where(eq(numberTenures.number, number));
    expect(row?.number_tenures.source).toBe("self_declared");
    expect(row?.carriers.code).toBe("cucc");
  });

  it("refuses future dates, dates before 2000, and a second open tenure", async () => {
    const number = "+8618620008888";
    expect(await declareTenure(t.db, { ownerId: "o1", number, startedAt: new Date("2027-01-01"), now })).toEqual({ ok: false, error: "future" });
    expect(await declareTenure(t.db, { ownerId: "o1", number, startedAt: new Date("1999-12-01"), now })).toEqual({ ok: false, error: "too_old" });
    expect(await declareTenure(t.db, { ownerId: "o1", number, startedAt: new Date("2024-01-01"), now })).toEqual({ ok: true });
    expect(await declareTenure(t.db, { ownerId: "o1", number, startedAt: new Date("2024-06-01"), now })).toEqual({ ok: false, error: "exists" });
    // A number with a carrier record cannot be overridden by a declaration either.
    expect(await declareTenure(t.db, { ownerId: "o1", number: "+8613800138000", startedAt: new Date("2024-06-01"), now })).toEqual({ ok: false, error: "exists" });
  });
});
