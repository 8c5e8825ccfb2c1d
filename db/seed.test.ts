import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { carriers, numberTenures, platforms, staffUsers } from "./schema";
import { isEmpty, seedDatabase } from "./seed";
import { DEMO_OWNER_NUMBER, platformSeed, sandboxBindings, staffSeed } from "./seed-data";
import { createTestDatabase, type TestDatabase } from "./testing";

async function counts(t: TestDatabase) {
  const [c, p, n, s] = await Promise.all([
    t.db.$count(carriers),
    t.db.$count(platforms),
    t.db.$count(numberTenures),
    t.db.$count(staffUsers),
  ]);
  return { carriers: c, platforms: p, tenures: n, staff: s };
}

describe("seed", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it("fills an empty database with the sandbox data", async () => {
    expect(await isEmpty(t.db)).toBe(true);
    await seedDatabase(t.db, { sandboxPartnerUrl: "http://127.0.0.1:4999/" });
    expect(await isEmpty(t.db)).toBe(false);
    expect(await counts(t)).toEqual({ carriers: 3, platforms: platformSeed.length, tenures: 5, staff: staffSeed.length });

    const categories = new Set((await t.db.select().from(platforms)).map((p) => p.category));
    expect([...categories].sort()).toEqual(
      ["e_commerce", "food_delivery", "government", "lending", "messaging", "payments", "ride_hailing", "social"],
    );
    const [lending] = await t.db.select().from(platforms).where(eq(platforms.slug, "easy-credit"));
    expect(lending).toMatchObject({ disclosure: "category", sandbox: true, baseUrl: "http://127.0.0.1:4999/easy-credit" });
  });

  it("is idempotent: a second run adds nothing and changes nothing", async () => {
    const before = await counts(t);
    await t.db.update(platforms).set({ status: "paused" }).where(eq(platforms.slug, "daily-mall"));
    await seedDatabase(t.db);
    expect(await counts(t)).toEqual(before);
    const [mall] = await t.db.select().from(platforms).where(eq(platforms.slug, "daily-mall"));
    expect(mall?.status).toBe("paused");
  });

  it("gives the demo number an open tenure that started after bindings the platforms still hold", async () => {
    const [open] = await t.db
      .select()
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    expect(open?.source).toBe("carrier_record");
    expect(open!.startedAt.getTime()).toBeLessThan(Date.now() - 90 * 24 * 3600 * 1000);
    const previous = await t.db.select().from(numberTenures).where(eq(numberTenures.number, DEMO_OWNER_NUMBER));
    expect(previous).toHaveLength(2);
    const before = Object.values(sandboxBindings[DEMO_OWNER_NUMBER]!).filter((created) => new Date(created) < open!.startedAt);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(sandboxBindings[DEMO_OWNER_NUMBER]!).every((slug) => platformSeed.some((p) => p.slug === slug))).toBe(true);
  });

  it("creates the demo staff with hashed passwords, the agent scoped to a carrier", async () => {
    const staff = await t.db.select().from(staffUsers);
    for (const seed of staffSeed) {
      const row = staff.find((s) => s.email === seed.email)!;
      expect(row.passwordHash).not.toContain(seed.password);
      expect(await verifyPassword(seed.password, row.passwordHash)).toBe(true);
      expect(await verifyPassword(`${seed.password}x`, row.passwordHash)).toBe(false);
    }
    expect(staff.find((s) => s.role === "agent")?.carrierId).toBeTruthy();
    expect(staff.find((s) => s.role === "regulator")?.carrierId).toBeNull();
  });
});
