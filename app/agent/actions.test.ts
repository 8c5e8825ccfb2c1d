import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { TestDatabase } from "@/db/testing";

// The queue's actions end to end below the framework: the session (mocked), action() and its
// guard, lib/agent/queue's scope checks, lib/cases' writes, on a real test database.
const state = vi.hoisted(() => ({ user: null as null | Record<string, unknown>, db: null as unknown }));
vi.mock("@/auth", () => ({ auth: async () => (state.user ? { user: state.user } : null) }));
vi.mock("@/db/startup", () => ({ prepareDatabase: async () => ({ handle: { db: state.db } }) }));
vi.mock("@/lib/auth/staff", () => ({ staffSessionValid: async () => true }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => {
  const t = Object.assign((key: string) => key, { has: () => true });
  return { getTranslations: async () => t };
});

const { assignCase, assignToMe, routeCase } = await import("./actions");
const { createTestDatabase } = await import("@/db/testing");
const { agentCases, auditLog, caseEvents, carriers, owners, staffUsers } = await import("@/db/schema");
const { openCase } = await import("@/lib/cases/cases");
const { revalidatePath } = await import("next/cache");

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("the queue's actions (app/agent/actions.ts)", () => {
  let t: TestDatabase;
  const staff: Record<string, { id: string; role: string; carrierId: string | null; name: string }> = {};
  const carrier: Record<string, string> = {};
  let n = 0;
  const at = new Date("2026-12-01T00:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase();
    state.db = t.db;
    for (const c of await t.db
      .insert(carriers)
      .values([
        { code: "qx", nameZh: "甲", nameEn: "X" },
        { code: "qy", nameZh: "乙", nameEn: "Y" },
      ])
      .returning()) carrier[c.code] = c.id;
    const rows = await t.db
      .insert(staffUsers)
      .values([
        { email: "agent@x", displayName: "Agent X", role: "agent", carrierId: carrier.qx, passwordHash: "x" },
        { email: "agent2@x", displayName: "Agent X2", role: "agent", carrierId: carrier.qx, passwordHash: "x" },
        { email: "sup@x", displayName: "Sup X", role: "supervisor", carrierId: carrier.qx, passwordHash: "x" },
        { email: "agent@y", displayName: "Agent Y", role: "agent", carrierId: carrier.qy, passwordHash: "x" },
        { email: "sup@y", displayName: "Sup Y", role: "supervisor", carrierId: carrier.qy, passwordHash: "x" },
        { email: "admin@", displayName: "Admin", role: "admin", carrierId: null, passwordHash: "x" },
      ])
      .returning();
    for (const r of rows) staff[r.email] = { id: r.id, role: r.role, carrierId: r.carrierId, name: r.displayName };
  });
  afterAll(async () => {
    await t?.dispose();
  });
  beforeEach(() => {
    vi.mocked(revalidatePath).mockClear();
  });

  const as = (email: string) => {
    state.user = staff[email]!;
  };
  async function helpCase(carrierId: string | null) {
    const number = `+861370002${String(++n).padStart(4, "0")}`;
    const [o] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: at, lastVerifiedAt: at }).returning({ id: owners.id });
    // A case with no carrier: the unassigned queue (the carrier is given, so no prefix lookup runs).
    const { id } = await openCase(t.db, { kind: "owner_help", subject: { ownerId: o!.id }, ownerId: o!.id, platformId: null, carrierId, at });
    if (!carrierId) await t.db.update(agentCases).set({ carrierId: null }).where(eq(agentCases.id, id));
    return id;
  }
  const row = async (id: string) => (await t.db.select().from(agentCases).where(eq(agentCases.id, id)))[0]!;
  const audits = async (id: string) => (await t.db.select().from(auditLog).where(eq(auditLog.subjectId, id))).map((a) => a.action);
  const events = async (id: string) => (await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, id))).map((e) => e.kind);

  it("assign to me: an agent takes their own carrier's case; audited, the page revalidated, a translated status", async () => {
    const id = await helpCase(carrier.qx!);
    as("agent@x");
    expect(await assignToMe({ ok: false }, form({ caseId: id }))).toEqual({ ok: true, message: "agentQueue.done.assignedToMe" });
    expect((await row(id)).assignedTo).toBe(staff["agent@x"]!.id);
    expect(await audits(id)).toEqual(["case.assigned"]);
    expect(await events(id)).toEqual(["opened", "assigned", "first_response"]);
    expect(revalidatePath).toHaveBeenCalledWith("/agent");
  });

  it("a supervisor assigns a case to a team member, and back to nobody", async () => {
    const id = await helpCase(carrier.qx!);
    as("sup@x");
    expect(await assignCase({ ok: false }, form({ caseId: id, assignee: staff["agent2@x"]!.id }))).toEqual({ ok: true, message: "agentQueue.done.assigned" });
    expect((await row(id)).assignedTo).toBe(staff["agent2@x"]!.id);
    expect(await assignCase({ ok: false }, form({ caseId: id, assignee: "unassigned" }))).toEqual({ ok: true, message: "agentQueue.done.unassigned" });
    expect((await row(id)).assignedTo).toBeNull();
    expect(await audits(id)).toEqual(["case.assigned", "case.unassigned"]);
    // Someone of another carrier is no team member.
    expect(await assignCase({ ok: false }, form({ caseId: id, assignee: staff["agent@y"]!.id }))).toMatchObject({ ok: false, message: "agentQueue.errors.not_staff_of_the_carrier" });
    expect((await row(id)).assignedTo).toBeNull();
  });

  it("an agent may not assign a case to someone else, nor take it back off them", async () => {
    const id = await helpCase(carrier.qx!);
    as("agent@x");
    expect(await assignCase({ ok: false }, form({ caseId: id, assignee: staff["agent2@x"]!.id }))).toMatchObject({ ok: false, message: "agentQueue.errors.forbidden" });
    expect(await assignCase({ ok: false }, form({ caseId: id, assignee: "unassigned" }))).toMatchObject({ ok: false, message: "agentQueue.errors.forbidden" });
    expect((await row(id)).assignedTo).toBeNull();
    expect(await audits(id)).toEqual([]);
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("another carrier's case, an unknown id and a malformed one are all 'not found', with nothing written", async () => {
    const foreign = await helpCase(carrier.qy!);
    for (const who of ["agent@x", "sup@x"]) {
      as(who);
      for (const caseId of [foreign, "00000000-0000-4000-8000-000000000000", "not-a-case'"]) {
        expect(await assignToMe({ ok: false }, form({ caseId }))).toMatchObject({ ok: false, message: "agentQueue.errors.not_found" });
        if (who === "sup@x") expect(await assignCase({ ok: false }, form({ caseId, assignee: staff["sup@x"]!.id }))).toMatchObject({ ok: false, message: "agentQueue.errors.not_found" });
      }
    }
    expect((await row(foreign)).assignedTo).toBeNull();
    expect(await audits(foreign)).toEqual([]);
    expect(await events(foreign)).toEqual(["opened"]);
  });

  it("a settled case is refused in words", async () => {
    const id = await helpCase(carrier.qx!);
    await t.db.update(agentCases).set({ status: "closed", settledAt: at }).where(eq(agentCases.id, id));
    as("agent@x");
    expect(await assignToMe({ ok: false }, form({ caseId: id }))).toMatchObject({ ok: false, message: "agentQueue.errors.settled" });
  });

  it("admins route an unassigned case to a carrier; nobody else may", async () => {
    const id = await helpCase(null);
    for (const who of ["agent@x", "sup@x"]) {
      as(who);
      expect(await routeCase({ ok: false }, form({ caseId: id, carrier: "qx" }))).toMatchObject({ ok: false, message: "agentQueue.errors.forbidden" });
    }
    expect((await row(id)).carrierId).toBeNull();
    as("admin@");
    expect(await routeCase({ ok: false }, form({ caseId: id, carrier: "nope" }))).toMatchObject({ ok: false, message: "agentQueue.errors.unknown_carrier" });
    expect(await routeCase({ ok: false }, form({ caseId: "00000000-0000-4000-8000-000000000000", carrier: "qx" }))).toMatchObject({ ok: false, message: "agentQueue.errors.not_found" });
    expect((await row(id)).carrierId).toBeNull();
    expect(await routeCase({ ok: false }, form({ caseId: id, carrier: "qx" }))).toEqual({ ok: true, message: "agentQueue.done.routed" });
    expect((await row(id)).carrierId).toBe(carrier.qx);
    expect(await audits(id)).toEqual(["case.routed"]);
    // Now the carrier's agents can take it.
    as("agent@x");
    expect((await assignToMe({ ok: false }, form({ caseId: id }))).ok).toBe(true);
  });

  it("an admin has no team of their own: 'assign to me' is refused", async () => {
    const id = await helpCase(carrier.qx!);
    as("admin@");
    expect(await assignToMe({ ok: false }, form({ caseId: id }))).toMatchObject({ ok: false, message: "agentQueue.errors.forbidden" });
  });

  it("owners and regulators never reach the actions: they are redirected before anything runs", async () => {
    const id = await helpCase(carrier.qx!);
    state.user = { id: "owner-1", role: "owner", number: "+8613800138000" };
    await expect(assignToMe({ ok: false }, form({ caseId: id }))).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    state.user = { id: "r", name: "R", role: "regulator", carrierId: null };
    await expect(assignToMe({ ok: false }, form({ caseId: id }))).rejects.toMatchObject({ digest: expect.stringContaining("/regulator") });
    expect((await row(id)).assignedTo).toBeNull();
  });
});
