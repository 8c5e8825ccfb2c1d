import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, carriers, numberTenures, owners, staffUsers } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { recordAudit } from "./audit";
import { dayStart, listAudit, parseAuditParams } from "./audit-queries";

describe("the audit log as a supervisor reads it", () => {
  let t: TestDatabase;
  const ids = {} as Record<"x" | "y" | "agentX" | "agentY" | "ownerX" | "ownerY" | "caseX" | "caseY" | "tenureX" | "tenureY", string>;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [x, y] = await t.db
      .insert(carriers)
      .values([
        { code: "xx", nameZh: "甲", nameEn: "X" },
        { code: "yy", nameZh: "乙", nameEn: "Y" },
      ])
      .returning();
    ids.x = x!.id;
    ids.y = y!.id;
    const staff = await t.db
      .insert(staffUsers)
      .values([
        { email: "ax@test", displayName: "Agent X", role: "agent", carrierId: ids.x, passwordHash: "-" },
        { email: "ay@test", displayName: "Agent Y", role: "agent", carrierId: ids.y, passwordHash: "-" },
      ])
      .returning();
    ids.agentX = staff[0]!.id;
    ids.agentY = staff[1]!.id;
    const now = new Date();
    const people = await t.db
      .insert(owners)
      .values([
        { number: "+8613800000001", termsVersion: "1", termsAcceptedAt: now },
        { number: "+8613800000002", termsVersion: "1", termsAcceptedAt: now },
      ])
      .returning();
    ids.ownerX = people[0]!.id;
    ids.ownerY = people[1]!.id;
    const tenures = await t.db
      .insert(numberTenures)
      .values([
        { number: "+8613800000001", carrierId: ids.x, startedAt: new Date("2025-01-01"), source: "carrier_record" },
        { number: "+8613800000002", carrierId: ids.y, startedAt: new Date("2025-01-01"), source: "carrier_record" },
      ])
      .returning();
    ids.tenureX = tenures[0]!.id;
    ids.tenureY = tenures[1]!.id;
    const cases = await t.db
      .insert(agentCases)
      .values([
        { kind: "no_answer" as const, carrierId: ids.x, createdAt: now, firstResponseDueAt: now, resolutionDueAt: now, nextDueAt: now },
        { kind: "no_answer" as const, carrierId: ids.y, createdAt: now, firstResponseDueAt: now, resolutionDueAt: now, nextDueAt: now },
      ])
      .returning();
    ids.caseX = cases[0]!.id;
    ids.caseY = cases[1]!.id;

    const at = (d: string) => new Date(d);
    // Each carrier gets one row per branch of the rule, on days apart for the date filter.
    for (const c of ["X", "Y"] as const) {
      const staffId = c === "X" ? ids.agentX : ids.agentY;
      await recordAudit(t.db, { actorType: "staff", actorId: staffId, action: "staff.signed_in", ip: `10.0.0.${c === "X" ? 1 : 2}` });
      await recordAudit(t.db, { actorType: "owner", actorId: c === "X" ? ids.ownerX : ids.ownerY, action: "lookup.started", subjectType: "lookup", subjectId: `lookup-${c}` });
      await recordAudit(t.db, { actorType: "system", action: "case.routed", subjectType: "agent_case", subjectId: c === "X" ? ids.caseX : ids.caseY });
      await recordAudit(t.db, { actorType: "platform", actorId: "p1", action: "tenure.noted", subjectType: "number_tenure", subjectId: c === "X" ? ids.tenureX : ids.tenureY });
    }
    // Tied to no carrier: in nobody's log but an admin's.
    await recordAudit(t.db, { actorType: "system", action: "platform_event.undelivered", subjectType: "platform_event", subjectId: "ev-1" });
    // Dated rows for the date filter (at is the database's default otherwise), with the carrier
    // recordAudit would have given them (a direct insert decides none).
    const { auditLog } = await import("@/db/schema");
    await t.db.insert(auditLog).values([
      { at: at("2026-03-01T23:30:00+08:00"), actorType: "staff", actorId: ids.agentX, action: "case.assigned", subjectType: "agent_case", subjectId: ids.caseX, carrierId: ids.x },
      { at: at("2026-03-02T00:30:00+08:00"), actorType: "staff", actorId: ids.agentX, action: "case.noted", subjectType: "agent_case", subjectId: ids.caseX, carrierId: ids.x },
      { at: at("2026-03-03T00:00:00+08:00"), actorType: "staff", actorId: ids.agentX, action: "case.closed", subjectType: "agent_case", subjectId: ids.caseX, carrierId: ids.x },
    ]);
  });
  afterAll(() => t.dispose());

  it("shows a carrier's supervisor the rows of their carrier only, by each branch of the rule", async () => {
    const x = await listAudit(t.db, { carrierId: ids.x }, {});
    const y = await listAudit(t.db, { carrierId: ids.y }, {});
    const subjects = (rows: typeof x.entries) => rows.map((r) => `${r.actorType}:${r.action}:${r.actorId ?? ""}:${r.subjectId ?? ""}`);
    expect(x.entries).toHaveLength(7);
    expect(y.entries).toHaveLength(4);
    for (const row of subjects(x.entries)) expect(row).not.toMatch(new RegExp([ids.agentY, ids.ownerY, ids.caseY, ids.tenureY, "lookup-Y"].join("|")));
    for (const row of subjects(y.entries)) expect(row).not.toMatch(new RegExp([ids.agentX, ids.ownerX, ids.caseX, ids.tenureX, "lookup-X"].join("|")));
    expect(subjects(x.entries)).toEqual(
      expect.arrayContaining([
        `staff:staff.signed_in:${ids.agentX}:`,
        `owner:lookup.started:${ids.ownerX}:lookup-X`,
        `system:case.routed::${ids.caseX}`,
        `platform:tenure.noted:p1:${ids.tenureX}`,
      ]),
    );
    expect(subjects(x.entries).join()).not.toContain("platform_event.undelivered");
    // An admin sees every row, the unattached one too.
    expect((await listAudit(t.db, { all: true }, {})).entries).toHaveLength(12);
  });

  it("names staff actors and keeps their address, newest first", async () => {
    const { entries } = await listAudit(t.db, { carrierId: ids.x }, { action: "staff.signed_in" });
    expect(entries).toEqual([expect.objectContaining({ actorName: "Agent X", ip: "10.0.0.1" })]);
    const all = (await listAudit(t.db, { carrierId: ids.x }, {})).entries;
    expect(all.map((e) => e.at.getTime())).toEqual([...all.map((e) => e.at.getTime())].sort((a, b) => b - a));
    // An owner actor is an id, never a number.
    expect(JSON.stringify(all)).not.toContain("+8613800000001");
  });

  it("filters by actor, action (exact or family), subject type and days in China's time", async () => {
    const x = { carrierId: ids.x };
    expect((await listAudit(t.db, x, { actor: ids.ownerX })).entries.map((e) => e.action)).toEqual(["lookup.started"]);
    expect((await listAudit(t.db, x, { action: "case" })).entries.map((e) => e.action).sort()).toEqual(["case.assigned", "case.closed", "case.noted", "case.routed"]);
    expect((await listAudit(t.db, x, { action: "case.noted" })).entries).toHaveLength(1);
    // A family is a whole word: "cas" matches nothing, and like's wildcards are literal.
    expect((await listAudit(t.db, x, { action: "cas" })).entries).toHaveLength(0);
    expect((await listAudit(t.db, x, { action: "%" })).entries).toHaveLength(0);
    expect((await listAudit(t.db, x, { subjectType: "number_tenure" })).entries.map((e) => e.action)).toEqual(["tenure.noted"]);
    const day = parseAuditParams({ from: "2026-03-02", to: "2026-03-02" }).filters;
    expect((await listAudit(t.db, x, day)).entries.map((e) => e.action)).toEqual(["case.noted"]);
    // Filters never widen the carrier rule.
    expect((await listAudit(t.db, x, { actor: ids.agentY })).entries).toHaveLength(0);
  });

  it("pages on the server without overlap, and says whether there is a next page", async () => {
    const x = { carrierId: ids.x };
    const first = await listAudit(t.db, x, {}, 1, 3);
    const second = await listAudit(t.db, x, {}, 2, 3);
    const third = await listAudit(t.db, x, {}, 3, 3);
    expect([first.hasNext, second.hasNext, third.hasNext]).toEqual([true, true, false]);
    const seen = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual((await listAudit(t.db, x, {})).entries.map((e) => e.id));
  });

  it("reads the URL's filters, and names the ones that do not parse instead of applying them", () => {
    expect(parseAuditParams({ action: "case", subject: "agent_case", from: "2026-03-01", page: "2" })).toMatchObject({
      filters: { action: "case", subjectType: "agent_case", from: new Date("2026-03-01T00:00:00+08:00") },
      problems: [],
      page: 2,
    });
    expect(parseAuditParams({ from: "2026-02-30", to: "yesterday", subject: "owner_number", action: "DROP TABLE", page: "-1" })).toMatchObject({
      filters: {},
      problems: ["action", "subjectType", "from", "to"],
      page: 1,
      raw: { from: "2026-02-30", to: "yesterday" },
    });
    expect(parseAuditParams({ from: "2026-03-05", to: "2026-03-01" })).toMatchObject({ filters: {}, problems: ["range"] });
    expect(dayStart("2026-03-02")?.toISOString()).toBe("2026-03-01T16:00:00.000Z");
  });
});
