import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, numberTenures, owners, platforms, staffUsers, unbindBatches, unbindItems } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { assignCase, closeCase, noteCase, openCase, routeCase } from "./cases";
import { carrierQueue, caseTimeline, openCasesOf, unassignedQueue } from "./queries";

describe("agent cases (lib/cases)", () => {
  let t: TestDatabase;
  let carrier: Record<string, string>;
  let platformId: string;
  const at = new Date("2026-11-29T02:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    carrier = Object.fromEntries((await t.db.select().from(carriers)).map((c) => [c.code, c.id]));
    [{ id: platformId }] = (await t.db.select({ id: platforms.id }).from(platforms).limit(1)) as [{ id: string }];
  });
  afterAll(async () => {
    await t?.dispose();
  });

  /** An owner whose tenure has no carrier on record, with one unbind item: a case's subject. */
  async function subject(number: string) {
    const [owner] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: at, lastVerifiedAt: at }).returning({ id: owners.id });
    const [tenure] = await t.db.insert(numberTenures).values({ number, startedAt: new Date("2026-01-01T00:00:00Z"), source: "self_declared" }).returning({ id: numberTenures.id });
    const [batch] = await t.db
      .insert(unbindBatches)
      .values({ ownerId: owner!.id, tenureId: tenure!.id, selection: platformId, createdAt: at, verifiedAt: at })
      .returning({ id: unbindBatches.id });
    const [item] = await t.db.insert(unbindItems).values({ batchId: batch!.id, platformId, status: "accepted", updatedAt: at }).returning({ id: unbindItems.id });
    return { ownerId: owner!.id, itemId: item!.id, number };
  }

  const open = (s: { ownerId: string; itemId: string; number?: string }, overrides: Partial<Parameters<typeof openCase>[1]> = {}) =>
    openCase(t.db, { kind: "no_answer", subject: { unbindItemId: s.itemId }, ownerId: s.ownerId, platformId, carrierId: null, detail: "no_callback", at, ...overrides });

  it("opens a case once: the same kind for the same subject while it is open, however many ask at once", async () => {
    const s = await subject("+8613900000001");
    const first = await open(s);
    expect(first.opened).toBe(true);
    expect(await open(s)).toEqual({ id: first.id, opened: false });
    const together = await Promise.all(Array.from({ length: 5 }, () => open(s)));
    expect(together.every((r) => r.id === first.id && !r.opened)).toBe(true);
    // Another kind for the same subject is another case.
    const other = await open(s, { kind: "delivery_failed" });
    expect(other.opened).toBe(true);
    expect(await openCasesOf(t.db, { unbindItemId: s.itemId })).toHaveLength(2);
    // Once closed, the same kind may be opened again.
    expect(await closeCase(t.db, { caseId: first.id })).toBe(true);
    expect((await open(s)).opened).toBe(true);
  });

  it("opens concurrent first cases once (each opener in its own transaction)", async () => {
    const s = await subject("+8613900000002");
    const results = await Promise.all(Array.from({ length: 4 }, () => t.db.transaction((tx) => openCase(tx, { kind: "no_answer", subject: { unbindItemId: s.itemId }, ownerId: s.ownerId, platformId, carrierId: null, at }))));
    expect(results.filter((r) => r.opened)).toHaveLength(1);
    expect(await t.db.select().from(agentCases).where(eq(agentCases.unbindItemId, s.itemId))).toHaveLength(1);
  });

  it("keeps the tenure's carrier, else takes the carrier of the number's prefix (given or read from the owner)", async () => {
    const s = await subject("+8618600000003"); // a China Unicom prefix
    const kept = await open(s, { carrierId: carrier.ctcc! });
    const fromOwner = await open(s, { kind: "delivery_failed" });
    const fromNumber = await open({ ...s }, { kind: "endpoint_gone", number: "+8613800000003" }); // China Mobile
    const byId = new Map((await t.db.select().from(agentCases).where(eq(agentCases.unbindItemId, s.itemId))).map((c) => [c.id, c.carrierId]));
    expect(byId.get(kept.id)).toBe(carrier.ctcc);
    expect(byId.get(fromOwner.id)).toBe(carrier.cucc);
    expect(byId.get(fromNumber.id)).toBe(carrier.cmcc);
    expect((await carrierQueue(t.db, carrier.cucc!)).map((c) => c.id)).toContain(fromOwner.id);
  });

  it("sends a case no carrier can be chosen for to the unassigned queue, which an admin routes to a carrier", async () => {
    const s = await subject("+85291234567"); // not a mainland number: no prefix carrier
    const { id } = await open(s);
    const [row] = await t.db.select().from(agentCases).where(eq(agentCases.id, id));
    expect(row?.carrierId).toBeNull();
    expect((await unassignedQueue(t.db)).map((c) => c.id)).toContain(id);
    for (const code of ["cmcc", "cucc", "ctcc"]) expect((await carrierQueue(t.db, carrier[code]!)).map((c) => c.id)).not.toContain(id);

    const [admin] = await t.db.insert(staffUsers).values({ email: "admin-route@test", displayName: "Admin", role: "admin", passwordHash: "x" }).returning({ id: staffUsers.id });
    expect(await routeCase(t.db, { caseId: id, carrierId: carrier.cmcc!, actorId: admin!.id })).toBe(true);
    expect((await unassignedQueue(t.db)).map((c) => c.id)).not.toContain(id);
    expect((await carrierQueue(t.db, carrier.cmcc!)).map((c) => c.id)).toContain(id);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, "case.routed"), eq(auditLog.subjectId, id)))).toHaveLength(1);
  });

  it("assigns an active case only to enabled staff of its carrier, notes it in the timeline without auditing the words, and closes it", async () => {
    const s = await subject("+8613900000004");
    const { id } = await open(s, { carrierId: carrier.cmcc! });
    const agents = await t.db
      .insert(staffUsers)
      .values([
        { email: "cmcc-agent@test", displayName: "A", role: "agent", carrierId: carrier.cmcc!, passwordHash: "x" },
        { email: "cucc-agent@test", displayName: "B", role: "agent", carrierId: carrier.cucc!, passwordHash: "x" },
        { email: "gone-agent@test", displayName: "C", role: "agent", carrierId: carrier.cmcc!, passwordHash: "x", disabledAt: at },
      ])
      .returning({ id: staffUsers.id });
    const [agent, foreign, disabled] = agents.map((a) => a.id);
    // Another carrier's agent is refused outright; a disabled agent of the carrier is no assignee.
    expect(await assignCase(t.db, { caseId: id, assigneeId: foreign!, actor: { id: foreign!, role: "agent", carrierId: carrier.cucc! } })).toEqual({ ok: false, error: "forbidden" });
    expect(await assignCase(t.db, { caseId: id, assigneeId: disabled!, actor: { id: disabled!, role: "agent", carrierId: carrier.cmcc! } })).toEqual({ ok: false, error: "not_staff_of_the_carrier" });
    expect(await assignCase(t.db, { caseId: id, assigneeId: agent!, actor: { id: agent!, role: "agent", carrierId: carrier.cmcc! } })).toEqual({ ok: true });
    expect((await t.db.select().from(agentCases).where(eq(agentCases.id, id)))[0]?.assignedTo).toBe(agent);

    expect(await noteCase(t.db, { caseId: id, staffId: agent!, note: "  Called the platform\u0000 twice\r\n ", at })).toBe(true);
    expect(await noteCase(t.db, { caseId: id, staffId: agent!, note: " \u0007 ", at })).toBe(false);
    const [noted] = await t.db.select().from(agentCases).where(eq(agentCases.id, id));
    // Notes are timeline rows now; the opening reason stays as it was.
    expect(noted?.detail).toBe("no_callback");
    expect((await caseTimeline(t.db, id)).filter((e) => e.kind === "note").map((e) => e.text)).toEqual(["Called the platform twice"]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(["case.assigned", "case.noted"]);
    expect(JSON.stringify(audit)).not.toContain("Called the platform");

    expect(await closeCase(t.db, { caseId: id, actorId: agent! })).toBe(true);
    expect(await closeCase(t.db, { caseId: id, actorId: agent! })).toBe(false);
    expect(await noteCase(t.db, { caseId: id, staffId: agent!, note: "too late", at })).toBe(false);
    expect(await assignCase(t.db, { caseId: id, assigneeId: agent!, actor: { id: agent!, role: "agent", carrierId: carrier.cmcc! } })).toEqual({ ok: false, error: "settled" });
    expect(await t.db.select().from(agentCases).where(and(eq(agentCases.id, id), isNull(agentCases.carrierId)))).toHaveLength(0);
  });
});

describe("one place writes agent cases", () => {
  it("inserts agent cases only in lib/cases/cases.ts", () => {
    const root = process.cwd();
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (["node_modules", ".next", ".git", "migrations", ".data"].includes(name)) continue;
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          const source = readFileSync(file, "utf8");
          if (/insert\(agentCases\)|into \$\{agentCases\}|insert into agent_cases/i.test(source)) hits.push(path.relative(root, file));
        }
      }
    };
    // bench/ is left out: the benches seed their scratch databases with INSERT … SELECT, not the service.
    for (const dir of ["app", "lib", "db", "scripts", "components"]) walk(path.join(root, dir));
    expect(hits).toEqual(["lib/cases/cases.ts"]);
  });
});
