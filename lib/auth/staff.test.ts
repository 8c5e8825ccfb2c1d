import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { staffSeed } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { authenticateStaff as authenticate, staffSessionValid, StaffSignInThrottled } from "./staff";
import { STAFF_THROTTLE } from "./staff-throttle";

const SECRET = "staff-test-secret-0123456789abcdef0123";
const authenticateStaff = (db: TestDatabase["db"], email: string, password: string, now?: Date, address = "203.0.113.10") =>
  authenticate(db, email, password, { secret: SECRET, now, address });

describe("staff sign-in", () => {
  let t: TestDatabase;
  const agent = staffSeed.find((s) => s.role === "agent")!;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("accepts the right password, whatever the email's case and spacing, and audits it (the second factor comes next)", async () => {
    const identity = await authenticateStaff(t.db, `  ${agent.email.toUpperCase()} `, agent.password);
    expect(identity).toMatchObject({ id: expect.any(String), next: "totp" });
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.actorId, identity!.id));
    expect(entries.map((e) => e.action)).toContain("staff.password_accepted");
    // The password alone is not a sign-in.
    expect(entries.map((e) => e.action)).not.toContain("staff.signed_in");
  });

  it("gives one answer for a wrong password, an unknown account and a disabled one", async () => {
    expect(await authenticateStaff(t.db, agent.email, "wrong")).toBeNull();
    expect(await authenticateStaff(t.db, "nobody@demo.reclaim.test", agent.password)).toBeNull();
    await t.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.email, agent.email));
    expect(await authenticateStaff(t.db, agent.email, agent.password)).toBeNull();
  });

  it("ends a staff session at once when the account is disabled or its role changes", async () => {
    const regulator = staffSeed.find((s) => s.role === "regulator")!;
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.email, regulator.email));
    const session = { id: row!.id, role: row!.role, carrierId: row!.carrierId };
    expect(await staffSessionValid(t.db, session)).toBe(true);
    expect(await staffSessionValid(t.db, { ...session, role: "admin" })).toBe(false);
    expect(await staffSessionValid(t.db, { ...session, id: "00000000-0000-4000-8000-000000000000" })).toBe(false);
    await t.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, row!.id));
    expect(await staffSessionValid(t.db, session)).toBe(false);
    await t.db.update(staffUsers).set({ disabledAt: null }).where(eq(staffUsers.id, row!.id));
  });

  it("10 wrong passwords from one address lock that address out of the account for 15 minutes, not the account", async () => {
    const regulator = staffSeed.find((s) => s.role === "regulator")!;
    const start = new Date("2026-11-28T09:00:00Z");
    for (let i = 0; i < STAFF_THROTTLE.pairFailures; i++) {
      expect(await authenticateStaff(t.db, regulator.email, `guess-${i}`, new Date(start.getTime() + i * 1000), "192.0.2.9")).toBeNull();
    }
    // The guesser's address is locked, even with the right password…
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, new Date(start.getTime() + 60_000), "192.0.2.9")).toBeNull();
    // …while the colleague at their own desk signs in.
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, new Date(start.getTime() + 60_000), "203.0.113.44")).toMatchObject({ next: "totp" });
    const later = new Date(start.getTime() + STAFF_THROTTLE.pairLockMs + 60_000);
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, later, "192.0.2.9")).toMatchObject({ next: "totp" });
  });

  it("refuses attempts over the per-address limit before hashing", async () => {
    const start = new Date("2026-11-29T09:00:00Z");
    for (let i = 0; i < STAFF_THROTTLE.perAddress.max; i++) {
      expect(await authenticateStaff(t.db, `nobody-${i}@demo.reclaim.test`, "x", start, "192.0.2.77")).toBeNull();
    }
    const refused = await authenticateStaff(t.db, agent.email, agent.password, start, "192.0.2.77").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StaffSignInThrottled);
  });

  it("audits failures by account id, never by the email or password typed", async () => {
    const failures = await t.db.select().from(auditLog).where(eq(auditLog.action, "staff.sign_in_failed"));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(failures)).not.toContain(agent.email);
    expect(JSON.stringify(failures)).not.toContain("wrong");
  });
});
