import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberTenures } from "./schema";
import { createTestDatabase, type TestDatabase } from "./testing";

describe("schema constraints", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it("stores numbers only in E.164", async () => {
    await expect(
      t.db.insert(numberTenures).values({ number: "138 0013 8000", startedAt: new Date(), source: "self_declared" }),
    ).rejects.toThrow();
    await t.db.insert(numberTenures).values({ number: "+8613700000001", startedAt: new Date(), source: "self_declared" });
  });

  it("allows one open tenure per number, and any number of closed ones", async () => {
    const number = "+8613700000002";
    await t.db.insert(numberTenures).values({
      number,
      startedAt: new Date("2020-01-01"),
      endedAt: new Date("2024-01-01"),
      source: "carrier_record",
    });
    await t.db.insert(numberTenures).values({ number, startedAt: new Date("2024-05-01"), source: "carrier_record" });
    await expect(
      t.db.insert(numberTenures).values({ number, startedAt: new Date("2025-01-01"), source: "self_declared" }),
    ).rejects.toThrow();
  });

  it("refuses a tenure that ends before it starts", async () => {
    await expect(
      t.db.insert(numberTenures).values({
        number: "+8613700000003",
        startedAt: new Date("2024-01-01"),
        endedAt: new Date("2023-01-01"),
        source: "carrier_record",
      }),
    ).rejects.toThrow();
  });
});
