import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { staffSeed } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { authenticateStaff } from "./staff";

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

  it("audits failures by account id, never by the email or password typed", async () => {
    const failures = await t.db.select().from(auditLog).where(eq(auditLog.action, "staff.sign_in_failed"));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(failures)).not.toContain(agent.email);
    expect(JSON.stringify(failures)).not.toContain("wrong");
  });
});
