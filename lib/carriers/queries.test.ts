import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carriers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { carrierById, listCarrierTenures } from "./queries";

describe("carrier queries", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("lists one carrier's tenure records, newest first, and none of another's", async () => {
    const [cmcc] = await t.db.select().from(carriers).where(eq(carriers.code, "cmcc"));
    expect(await carrierById(t.db, cmcc!.id)).toMatchObject({ code: "cmcc", nameEn: "China Mobile" });
    expect(await carrierById(t.db, "00000000-0000-4000-8000-000000000000")).toBeNull();

    const rows = await listCarrierTenures(t.db, cmcc!.id);
    // The demo number's current and previous tenures, and the self-declared one in between.
    expect(rows.map((r) => r.number)).toEqual([DEMO_OWNER_NUMBER, "+8613912345678", DEMO_OWNER_NUMBER]);
    expect(rows.map((r) => r.startedAt.getTime())).toEqual(rows.map((r) => r.startedAt.getTime()).sort((a, b) => b - a));
    expect(await listCarrierTenures(t.db, cmcc!.id, 1)).toHaveLength(1);
  });
});
