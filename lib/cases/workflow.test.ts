import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, caseEvents, numberTenures, owners, staffUsers } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { decryptText } from "@/lib/security/encryption";
import { assignCase, caseEventAad, closeCase, closeCasesOf, noteCase, openCase, ownerReplyCase, replyCase, transitionCase, type CaseActor } from "./cases";
import { caseQueue, caseTimeline } from "./queries";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("case workflow: statuses, timeline, deadlines, queue, assignment (lib/cases)", () => {
  let t: TestDatabase;
  let x: string;
  let y: string;
  let agent: CaseActor;
  let agent2: CaseActor;
  let supervisor: CaseActor;
  let foreignAgent: CaseActor;
  let n = 0;
  const t0 = new Date("2026-12-01T00:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase();
    [{ id: x }, { id: y }] = (await t.db
      .insert(carriers)
      .values([
        { code: "wx", nameZh: "甲", nameEn: "X" },
        { code: "wy", nameZh: "乙", nameEn: "Y" },
      ])
      .returning({ id: carriers.id })) as [{ id: string }, { id: string }];
    const staff = await t.db
      .insert(staffUsers)
      .values([
        { email: "a1@x", displayName: "A1", role: "agent", carrierId: x, passwordHash: "x" },
        { email: "a2@x", displayName: "A2", role: "agent", carrierId: x, passwordHash: "x" },
        { email: "s@x", displayName: "S", role: "supervisor", carrierId: x, passwordHash: "x" },
        { email: "a@y", displayName: "AY", role: "agent", carrierId: y, passwordHash: "x" },
      ])
      .returning({ id: staffUsers.id, role: staffUsers.role, carrierId: staffUsers.carrierId });
    [agent, agent2, supervisor, foreignAgent] = staff as [CaseActor, CaseActor, CaseActor, CaseActor];
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function owner() {
    const number = `+861390001${String(++n).padStart(4, "0")}`;
    const [o] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: t0, lastVerifiedAt: t0 }).returning({ id: owners.id });
    return o!.id;
  }
  const help = async (carrierId: string, at = t0, message?: string) => {
    const ownerId = await owner();
    const { id } = await openCase(t.db, { kind: "owner_help", subject: { ownerId }, ownerId, platformId: null, carrierId, message, at });
    return { id, ownerId };
  };
  const row = async (id: string) => (await t.db.select().from(agentCases).where(eq(agentCases.id, id)))[0]!;
  const kinds = async (id: string) => (await caseTimeline(t.db, id)).map((e) => e.kind);

  it("opens owner_help and tenure_review cases on their subjects, with deadlines and an `opened` row", async () => {
    const { id, ownerId } = await help(x, t0, "  我的号码老是接到催收电话 ");
    const c = await row(id);
    expect(c).toMatchObject({ kind: "owner_help", status: "open", ownerId, firstRespondedAt: null, settledAt: null });
    expect(c.firstResponseDueAt.getTime() - t0.getTime()).toBe(48 * HOUR);
    expect(c.resolutionDueAt.getTime() - t0.getTime()).toBe(15 * DAY);
    expect(c.nextDueAt).toEqual(c.firstResponseDueAt);
    expect(await caseTimeline(t.db, id)).toMatchObject([
      { kind: "opened", toStatus: "open", actorId: null },
      { kind: "owner_reply", text: "我的号码老是接到催收电话" },
    ]);
    // The same owner's help case is not opened twice while active.
    expect(await openCase(t.db, { kind: "owner_help", subject: { ownerId }, ownerId, platformId: null, carrierId: x, at: t0 })).toEqual({ id, opened: false });

    const [tenure] = await t.db.insert(numberTenures).values({ number: "+8613900019999", startedAt: t0, source: "self_declared" }).returning({ id: numberTenures.id });
    const review = await openCase(t.db, { kind: "tenure_review", subject: { tenureId: tenure!.id }, ownerId, platformId: null, carrierId: x, at: t0 });
    expect(review.opened).toBe(true);
    expect((await row(review.id)).tenureId).toBe(tenure!.id);
  });

  it("moves through the legal statuses, refuses illegal ones without a change, and writes a row for each move", async () => {
    const { id } = await help(x);
    const move = (to: Parameters<typeof transitionCase>[1]["to"], at = t0) => transitionCase(t.db, { caseId: id, to, actorId: agent.id, at });
    expect(await move("in_progress")).toEqual({ ok: true, from: "open" });
    expect(await move("waiting_platform")).toEqual({ ok: true, from: "in_progress" });
    expect(await move("open")).toEqual({ ok: false, error: "illegal", from: "waiting_platform" });
    expect((await row(id)).status).toBe("waiting_platform");
    expect(await move("resolved", new Date(t0.getTime() + DAY))).toEqual({ ok: true, from: "waiting_platform" });
    expect((await row(id)).settledAt).toEqual(new Date(t0.getTime() + DAY));
    expect(await move("waiting_owner")).toEqual({ ok: false, error: "illegal", from: "resolved" });
    expect(await move("in_progress", new Date(t0.getTime() + 2 * DAY))).toEqual({ ok: true, from: "resolved" }); // reopened
    expect((await row(id)).settledAt).toBeNull();
    expect(await closeCase(t.db, { caseId: id, actorId: agent.id, at: new Date(t0.getTime() + 3 * DAY) })).toBe(true);
    expect(await transitionCase(t.db, { caseId: "00000000-0000-4000-8000-000000000000", to: "closed", actorId: null, at: t0 })).toEqual({ ok: false, error: "not_found" });
    const statusRows = (await caseTimeline(t.db, id)).filter((e) => e.kind === "status").map((e) => `${e.fromStatus}>${e.toStatus}`);
    expect(statusRows).toEqual(["open>in_progress", "in_progress>waiting_platform", "waiting_platform>resolved", "resolved>in_progress", "in_progress>closed"]);
    expect((await t.db.select().from(auditLog).where(eq(auditLog.subjectId, id))).map((a) => a.action)).toEqual(["case.in_progress", "case.waiting_platform", "case.resolved", "case.in_progress", "case.closed"]);
  });

  it("records the first response once (a reply, a move out of open, or taking the case) and then the resolution deadline applies", async () => {
    const at = new Date(t0.getTime() + 5 * HOUR);
    // A note is internal: no first response.
    const noted = await help(x);
    await noteCase(t.db, { caseId: noted.id, staffId: agent.id, note: "checking", at });
    expect((await row(noted.id)).firstRespondedAt).toBeNull();
    // A supervisor giving the case to someone else is not a response to the owner either.
    expect(await assignCase(t.db, { caseId: noted.id, assigneeId: agent2.id, actor: supervisor, at })).toEqual({ ok: true });
    expect((await row(noted.id)).firstRespondedAt).toBeNull();

    const replied = await help(x);
    expect(await replyCase(t.db, { caseId: replied.id, staffId: agent.id, text: "已收到，我们会联系平台", at })).toBe(true);
    await replyCase(t.db, { caseId: replied.id, staffId: agent.id, text: "again", at: new Date(at.getTime() + HOUR) });
    const r = await row(replied.id);
    expect(r.firstRespondedAt).toEqual(at);
    expect(r.nextDueAt).toEqual(r.resolutionDueAt);
    expect((await kinds(replied.id)).filter((k) => k === "first_response")).toHaveLength(1);

    const taken = await help(x);
    await assignCase(t.db, { caseId: taken.id, assigneeId: agent.id, actor: agent, at });
    expect((await row(taken.id)).firstRespondedAt).toEqual(at);

    const moved = await help(x);
    await transitionCase(t.db, { caseId: moved.id, to: "waiting_owner", actorId: agent.id, at });
    expect((await row(moved.id)).firstRespondedAt).toEqual(at);
    // The system closing an open case is no response.
    const system = await help(x);
    await closeCasesOf(t.db, { ownerId: system.ownerId }, at);
    expect((await row(system.id))).toMatchObject({ status: "closed", firstRespondedAt: null });
  });

  it("lets the owner answer their own case only, which takes it out of waiting for the owner; hides notes and staff ids from them", async () => {
    const { id, ownerId } = await help(x);
    await transitionCase(t.db, { caseId: id, to: "waiting_owner", actorId: agent.id, at: t0 });
    await noteCase(t.db, { caseId: id, staffId: agent.id, note: "internal: the owner sounded upset", at: t0 });
    await replyCase(t.db, { caseId: id, staffId: agent.id, text: "请问是哪家公司？", at: t0 });
    expect(await ownerReplyCase(t.db, { caseId: id, ownerId: await owner(), text: "not mine", at: t0 })).toBe(false);
    expect(await ownerReplyCase(t.db, { caseId: id, ownerId, text: "某某资产", at: new Date(t0.getTime() + HOUR) })).toBe(true);
    expect((await row(id)).status).toBe("in_progress");
    const seen = await caseTimeline(t.db, id, { forOwner: true });
    expect(seen.map((e) => e.kind)).not.toContain("note");
    expect(seen.every((e) => e.actorId === null && e.assigneeId === null)).toBe(true);
    expect(seen.filter((e) => e.text).map((e) => e.text)).toEqual(["请问是哪家公司？", "某某资产"]);
  });

  it("stores note and reply texts encrypted at rest, bound to their row", async () => {
    const { id } = await help(x);
    await noteCase(t.db, { caseId: id, staffId: agent.id, note: "前机主 欠款 张三", at: t0 });
    const [stored] = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, id), eq(caseEvents.kind, "note")));
    expect(stored!.textEnc).toMatch(/^v1\./);
    expect(stored!.textEnc).not.toContain("张三");
    expect(decryptText(stored!.textEnc!, caseEventAad(stored!.id))).toBe("前机主 欠款 张三");
    expect(() => decryptText(stored!.textEnc!, caseEventAad("00000000-0000-4000-8000-000000000000"))).toThrow();
  });

  it("assigns by the rules: an agent takes a case for themself only, a supervisor gives their carrier's cases to its staff; audited", async () => {
    const { id } = await help(x);
    expect(await assignCase(t.db, { caseId: id, assigneeId: agent2.id, actor: agent })).toEqual({ ok: false, error: "forbidden" });
    expect(await assignCase(t.db, { caseId: id, assigneeId: foreignAgent.id, actor: foreignAgent })).toEqual({ ok: false, error: "forbidden" });
    expect(await assignCase(t.db, { caseId: id, assigneeId: foreignAgent.id, actor: supervisor })).toEqual({ ok: false, error: "not_staff_of_the_carrier" });
    expect((await row(id)).assignedTo).toBeNull();
    expect(await assignCase(t.db, { caseId: id, assigneeId: agent2.id, actor: supervisor })).toEqual({ ok: true });
    expect(await assignCase(t.db, { caseId: id, assigneeId: agent.id, actor: agent })).toEqual({ ok: true });
    const theirs = await help(y);
    expect(await assignCase(t.db, { caseId: theirs.id, assigneeId: agent.id, actor: supervisor })).toEqual({ ok: false, error: "forbidden" });
    expect((await caseTimeline(t.db, id)).filter((e) => e.kind === "assigned").map((e) => [e.actorId, e.assigneeId])).toEqual([
      [supervisor.id, agent2.id],
      [agent.id, agent.id],
    ]);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "case.assigned")));
    expect(audit.map((a) => [a.actorId, a.metadata])).toEqual([
      [supervisor.id, { assigneeId: agent2.id }],
      [agent.id, { assigneeId: agent.id }],
    ]);
  });

  describe("the queue", () => {
    let q: string;
    let ids: { early: string; mid: string; late: string; old: string; settled: string; mine: string };
    beforeAll(async () => {
      [{ id: q }] = (await t.db.insert(carriers).values({ code: "wq", nameZh: "丙", nameEn: "Q" }).returning({ id: carriers.id })) as [{ id: string }];
      await t.db.update(staffUsers).set({ carrierId: q }).where(eq(staffUsers.id, agent2.id));
      const open = async (hoursAfter: number) => (await help(q, new Date(t0.getTime() + hoursAfter * HOUR))).id;
      const old = await open(-20 * 24); // opened 20 days before t0
      const late = await open(30);
      const mid = await open(10);
      const early = await open(1);
      const mine = await open(5);
      const settled = await open(0);
      await assignCase(t.db, { caseId: mine, assigneeId: agent2.id, actor: { ...agent2, carrierId: q }, at: t0 }); // now due at resolution
      await transitionCase(t.db, { caseId: settled, to: "resolved", actorId: agent2.id, at: t0 });
      await help(y); // another carrier's case never shows
      ids = { early, mid, late, old, settled, mine };
    });
    const now = new Date(t0.getTime() + 50 * HOUR);
    const queue = (f: Partial<Parameters<typeof caseQueue>[1]> = {}) => caseQueue(t.db, { carrierId: q, now, page: 1, pageSize: 20, ...f });

    it("sorts by the deadline that applies now, active cases first, and scopes to the carrier", async () => {
      const { rows, total } = await queue();
      expect(rows.map((r) => r.id)).toEqual([ids.old, ids.early, ids.mid, ids.late, ids.mine, ids.settled]);
      expect(total).toBe(6);
      expect(rows.every((r) => r.carrierId === q)).toBe(true);
    });

    it("filters by status, kind, assignee, overdue and age", async () => {
      expect((await queue({ status: "resolved" })).rows.map((r) => r.id)).toEqual([ids.settled]);
      expect((await queue({ kind: "no_answer" })).total).toBe(0);
      expect((await queue({ assignee: "me", me: agent2.id })).rows.map((r) => r.id)).toEqual([ids.mine]);
      expect((await queue({ assignee: "me" })).total).toBe(0);
      expect((await queue({ assignee: agent2.id })).rows.map((r) => r.id)).toEqual([ids.mine]);
      expect((await queue({ assignee: "unassigned" })).rows.map((r) => r.id)).toEqual([ids.old, ids.early, ids.mid, ids.late, ids.settled]);
      // 50 hours after t0: the old one and the ones opened at +1 h (due +49 h) are past their first response.
      expect((await queue({ overdue: true })).rows.map((r) => r.id)).toEqual([ids.old, ids.early]);
      expect((await queue({ olderThanDays: 10 })).rows.map((r) => r.id)).toEqual([ids.old]);
    });

    it("paginates on the server with the total of all pages", async () => {
      const first = await queue({ pageSize: 4 });
      const second = await queue({ pageSize: 4, page: 2 });
      expect(first).toMatchObject({ total: 6, page: 1, pageSize: 4 });
      expect(first.rows).toHaveLength(4);
      expect(second.rows.map((r) => r.id)).toEqual([ids.mine, ids.settled]);
      expect(second.total).toBe(6);
      // Past the last page: no rows, and still the total (the count is its own statement).
      expect(await queue({ page: 9 })).toMatchObject({ rows: [], total: 6 });
    });
  });
});
