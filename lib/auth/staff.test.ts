import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { staffSeed } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { authenticateStaff as authenticate, staffSessionValid, STAFF_LOCK } from "./staff";

const SECRET = "staff-test-secret-0123456789abcdef0123";
const authenticateStaff = (db: TestDatabase["db"], email: string, password: string, now?: Date) =>
  authenticate(db, email, password, { secret: SECRET, now });

describe("staff sign-in", () => {
  let t: TestDatabase;
  const agent = staffSeed.find((s) => s.role === "agent")!;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("accepts the right password, whatever the email's case and spacing, and audits it", async () => {
    const identity = await authenticateStaff(t.db, `  ${agent.email.toUpperCase()} `, agent.password);
    expect(identity).toMatchObject({ role: "agent", carrierId: expect.any(String) });
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.actorId, identity!.id));
    expect(entries.map((e) => e.action)).toContain("staff.signed_in");
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

  it("locks an email for 15 minutes after 10 wrong passwords, even for the right one", async () => {
    const regulator = staffSeed.find((s) => s.role === "regulator")!;
    const start = new Date("2026-11-28T09:00:00Z");
    for (let i = 0; i < STAFF_LOCK.failures; i++) {
      expect(await authenticateStaff(t.db, regulator.email, `guess-${i}`, new Date(start.getTime() + i * 1000))).toBeNull();
    }
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, new Date(start.getTime() + 60_000))).toBeNull();
    const later = new Date(start.getTime() + STAFF_LOCK.lockMs + 60_000);
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, later)).toMatchObject({ role: "regulator" });
  });

  it("audits failures by account id, never by the email or password typed", async () => {
    const failures = await t.db.select().from(auditLog).where(eq(auditLog.action, "staff.sign_in_failed"));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(failures)).not.toContain(agent.email);
    expect(JSON.stringify(failures)).not.toContain("wrong");
  });
});
