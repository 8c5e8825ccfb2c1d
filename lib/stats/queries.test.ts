import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carriers, numberTenures } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { platformsByCategory, tenuresByCarrier } from "./queries";
import { MIN_CELL } from "./suppression";

describe("the regulator's statistics", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("never shows a tenure count between 1 and MIN_CELL - 1", async () => {
    // The sandbox has 1 or 2 tenures per carrier and source: every cell is suppressed.
    const before = await tenuresByCarrier(t.db);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((row) => "suppressed" in row.n)).toBe(true);

    const [cucc] = await t.db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, "cucc"));
    await t.db.insert(numberTenures).values(
      Array.from({ length: MIN_CELL }, (_, i) => ({ number: `+861862000${7000 + i}`, carrierId: cucc!.id, startedAt: new Date("2025-01-01"), source: "carrier_record" as const })),
    );
    const after = await tenuresByCarrier(t.db);
    expect(after.find((row) => row.carrier === "cucc" && row.source === "carrier_record")?.n).toEqual({ value: MIN_CELL + 1 });
    for (const row of after) if ("value" in row.n) expect(row.n.value).toBeGreaterThanOrEqual(MIN_CELL);
  });

  it("counts the platform registry by category and status", async () => {
    const rows = await platformsByCategory(t.db);
    expect(rows.find((r) => r.category === "lending" && r.status === "active")?.n).toBe(2);
  });
});
