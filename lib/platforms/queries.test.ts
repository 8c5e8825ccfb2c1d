import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platforms } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { platformNames, platformsById } from "./queries";

describe("platform queries", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("gives what labelling needs for the platforms asked for, and nothing for none", async () => {
    const all = await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms);
    const wanted = all.filter((p) => p.slug === "easy-credit" || p.slug === "linkup-chat").map((p) => p.id);
    const rows = await platformsById(t.db, wanted);
    expect(rows.map((r) => r.nameEn).sort()).toEqual(["Easy Credit (sandbox)", "Linkup Chat (sandbox)"]);
    expect(rows.find((r) => r.nameEn.startsWith("Easy"))).toMatchObject({ category: "lending", disclosure: "category" });
    expect(Object.keys(rows[0]!).sort()).toEqual(["category", "disclosure", "id", "nameEn", "nameZh"]);
    expect(await platformsById(t.db, [])).toEqual([]);
  });

  it("names every platform in the owner's language", async () => {
    const zh = await platformNames(t.db, "zh-CN");
    const en = await platformNames(t.db, "en");
    expect(zh.size).toBe(12);
    expect([...zh.values()]).toContain("易贷花（沙盒）");
    expect([...en.values()]).toContain("Easy Credit (sandbox)");
  });
});
