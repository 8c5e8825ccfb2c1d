import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platforms } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { reportPlatformOptions } from "./queries";

describe("the platforms an owner can name in a report", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("lists every platform not disabled by its name, category-only ones too, with its message signatures", async () => {
    const options = await reportPlatformOptions(t.db, "en");
    expect(options).toHaveLength(12);
    const easyCredit = options.find((o) => o.label === "Easy Credit (sandbox)");
    // The names as they appear in messages: without the sandbox suffix, in both languages.
    expect(easyCredit).toMatchObject({ names: ["易贷花", "Easy Credit"], senderIds: ["易贷花", "10690003001", "95001004"] });
    expect(options.map((o) => o.label)).toEqual([...options.map((o) => o.label)].sort((a, b) => a.localeCompare(b, "en")));

    await t.db.update(platforms).set({ status: "disabled" }).where(eq(platforms.slug, "easy-credit"));
    const zh = await reportPlatformOptions(t.db, "zh-CN");
    expect(zh).toHaveLength(11);
    expect(zh.map((o) => o.label)).not.toContain("易贷花（沙盒）");
  });
});
