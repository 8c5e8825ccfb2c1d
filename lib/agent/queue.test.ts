import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, caseEvents, owners, platforms, staffUsers } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { openCase, type CaseActor } from "@/lib/cases/cases";
import { caseQueue } from "@/lib/cases/queries";
import { carrierTeam, giveCase, queueCarrier, routeToCarrier, takeCase, withNames } from "./queue";

// The queue's actions below the framework (app/agent/actions.ts is their thin wrapper): the role
// and carrier scope checked again, lib/cases' writes, on a real test database.
describe("the queue's actions and data (lib/agent/queue)", () => {
  let t: TestDatabase;
  const staff: Record<string, { id: string; role: string; carrierId: string | null; name: string }> = {};
  const carrier: Record<string, string> = {};
  let n = 0;
  const at = new Date("2026-12-01T00:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase();
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
  const as = (email: string): CaseActor => staff[email]! as CaseActor;
  const not = (error: string) => ({ ok: false, error });
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

  it("assign to me: an agent takes their own carrier's case, with its timeline and audit rows", async () => {
    const id = await helpCase(carrier.qx!);
    expect(await takeCase(t.db, { caseId: id, actor: as("agent@x"), at })).toEqual({ ok: true });
    expect((await row(id)).assignedTo).toBe(staff["agent@x"]!.id);
    expect(await audits(id)).toEqual(["case.assigned"]);
    expect(await events(id)).toEqual(["opened", "assigned", "first_response"]);
    // A supervisor may take one too.
    const other = await helpCase(carrier.qx!);
    expect(await takeCase(t.db, { caseId: other, actor: as("sup@x"), at })).toEqual({ ok: true });
  });

  it("a supervisor assigns a case to a team member, and back to nobody; not to another carrier's staff", async () => {
    const id = await helpCase(carrier.qx!);
    expect(await giveCase(t.db, { caseId: id, assignee: staff["agent2@x"]!.id, actor: as("sup@x"), at })).toEqual({ ok: true });
    expect((await row(id)).assignedTo).toBe(staff["agent2@x"]!.id);
    expect(await giveCase(t.db, { caseId: id, assignee: "unassigned", actor: as("sup@x"), at })).toEqual({ ok: true });
    expect((await row(id)).assignedTo).toBeNull();
    expect(await audits(id)).toEqual(["case.assigned", "case.unassigned"]);
    expect(await events(id)).toEqual(["opened", "assigned", "assigned"]);
    expect(await giveCase(t.db, { caseId: id, assignee: staff["agent@y"]!.id, actor: as("sup@x"), at })).toEqual(not("not_staff_of_the_carrier"));
    expect(await giveCase(t.db, { caseId: id, assignee: "nobody'", actor: as("sup@x"), at })).toEqual(not("not_staff_of_the_carrier"));
    expect((await row(id)).assignedTo).toBeNull();
    expect(await audits(id)).toEqual(["case.assigned", "case.unassigned"]);
  });

  it("an agent may not assign a case to someone else, nor take it off them", async () => {
    const id = await helpCase(carrier.qx!);
    expect(await giveCase(t.db, { caseId: id, assignee: staff["agent2@x"]!.id, actor: as("agent@x"), at })).toEqual(not("forbidden"));
    expect(await giveCase(t.db, { caseId: id, assignee: staff["agent@x"]!.id, actor: as("agent@x"), at })).toEqual(not("forbidden"));
    expect(await giveCase(t.db, { caseId: id, assignee: "unassigned", actor: as("agent@x"), at })).toEqual(not("forbidden"));
    expect((await row(id)).assignedTo).toBeNull();
    expect(await audits(id)).toEqual([]);
  });

  it("another carrier's case, an unknown id and a malformed one are all 'not found', with nothing written", async () => {
    const foreign = await helpCase(carrier.qy!);
    for (const caseId of [foreign, "00000000-0000-4000-8000-000000000000", "not-a-case'"]) {
      expect(await takeCase(t.db, { caseId, actor: as("agent@x"), at })).toEqual(not("not_found"));
      expect(await takeCase(t.db, { caseId, actor: as("sup@x"), at })).toEqual(not("not_found"));
      expect(await giveCase(t.db, { caseId, assignee: staff["agent@x"]!.id, actor: as("sup@x"), at })).toEqual(not("not_found"));
      expect(await giveCase(t.db, { caseId, assignee: "unassigned", actor: as("sup@x"), at })).toEqual(not("not_found"));
    }
    expect((await row(foreign)).assignedTo).toBeNull();
    expect(await audits(foreign)).toEqual([]);
    expect(await events(foreign)).toEqual(["opened"]);
  });

  it("a settled case is refused", async () => {
    const id = await helpCase(carrier.qx!);
    await t.db.update(agentCases).set({ status: "closed", settledAt: at }).where(eq(agentCases.id, id));
    expect(await takeCase(t.db, { caseId: id, actor: as("agent@x"), at })).toEqual(not("settled"));
    expect(await giveCase(t.db, { caseId: id, assignee: "unassigned", actor: as("sup@x"), at })).toEqual(not("settled"));
  });

  it("admins route an unassigned case to a carrier; nobody else may; then its agents can take it", async () => {
    const id = await helpCase(null);
    for (const who of ["agent@x", "sup@x"]) expect(await routeToCarrier(t.db, { caseId: id, carrier: "qx", actor: as(who), at })).toEqual(not("forbidden"));
    expect(await routeToCarrier(t.db, { caseId: id, carrier: "nope", actor: as("admin@"), at })).toEqual(not("unknown_carrier"));
    expect(await routeToCarrier(t.db, { caseId: "00000000-0000-4000-8000-000000000000", carrier: "qx", actor: as("admin@"), at })).toEqual(not("not_found"));
    expect((await row(id)).carrierId).toBeNull();
    expect(await audits(id)).toEqual([]);
    expect(await routeToCarrier(t.db, { caseId: id, carrier: "qx", actor: as("admin@"), at })).toEqual({ ok: true });
    expect((await row(id)).carrierId).toBe(carrier.qx);
    expect(await audits(id)).toEqual(["case.routed"]);
    expect(await takeCase(t.db, { caseId: id, actor: as("agent@x"), at })).toEqual({ ok: true });
  });

  it("an admin has no team of their own: 'assign to me' is refused; they may assign within the case's carrier", async () => {
    const id = await helpCase(carrier.qy!);
    expect(await takeCase(t.db, { caseId: id, actor: as("admin@"), at })).toEqual(not("forbidden"));
    expect(await giveCase(t.db, { caseId: id, assignee: staff["agent@y"]!.id, actor: as("admin@"), at })).toEqual({ ok: true });
  });

  it("gives the queue's rows their assignee's name, platform and masked number, and a supervisor their team (enabled agents and supervisors only)", async () => {
    const [p] = await t.db
      .insert(platforms)
      .values({ slug: "q-lend", nameZh: "借", nameEn: "Lend", category: "lending", disclosure: "category", baseUrl: "http://127.0.0.1:1" })
      .returning();
    const id = await helpCase(carrier.qy!);
    await t.db.update(agentCases).set({ platformId: p!.id }).where(eq(agentCases.id, id));
    await takeCase(t.db, { caseId: id, actor: as("agent@y"), at });
    const { rows } = await caseQueue(t.db, { carrierId: carrier.qy!, now: at, page: 1, pageSize: 50 });
    const named = await withNames(t.db, rows);
    expect(named.find((r) => r.id === id)).toMatchObject({ assigneeName: "Agent Y", platform: { id: p!.id, disclosure: "category", category: "lending" } });
    // The owner's number, masked: never the whole of it in the queue.
    expect(named.find((r) => r.id === id)!.maskedNumber).toMatch(/^137\*{4}\d{4}$/);
    expect(named.filter((r) => r.assignedTo === null).every((r) => r.assigneeName === null)).toBe(true);
    expect(await withNames(t.db, [])).toEqual([]);

    await t.db.insert(staffUsers).values({ email: "gone@y", displayName: "Gone", role: "agent", carrierId: carrier.qy, passwordHash: "x", disabledAt: at });
    expect((await carrierTeam(t.db, carrier.qy!)).map((m) => m.name)).toEqual(["Agent Y", "Sup Y"]);
  });

  it("shows agents and supervisors their own carrier's queue whatever the URL says; an admin the carrier they chose", async () => {
    expect((await queueCarrier(t.db, { carrierId: carrier.qx! }, "qy")).carrier?.code).toBe("qx");
    expect((await queueCarrier(t.db, { carrierId: null }, "qy")).carrier?.code).toBe("qy");
    expect((await queueCarrier(t.db, { carrierId: null }, "zz")).carrier).toBeNull();
    expect((await queueCarrier(t.db, { carrierId: null })).carrier).toBeNull();
  });
});
