import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, caseEvents, numberTenures, reports, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import type { DispatchDeps } from "@/lib/outbox/dispatch";
import { eraseOwner } from "@/lib/owners/erasure";
import { ownerExport } from "@/lib/owners/export";
import { ownerWithHistory } from "@/lib/owners/testing";
import { generateSigningJwk, loadSigningKeys, publicJwks } from "@/lib/platforms/keys";
import { startCallbackReceiver } from "@/lib/platforms/testing";
import { sealField } from "@/lib/reports/sealed";
import { memoryEvidenceStore } from "@/lib/reports/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { noteCase, openCase, replyCase, transitionCase } from "./cases";
import { answerCase, askForHelp, OWNER_MESSAGE_LIMITS, ownerCase, ownerCases, type CaseOwner } from "./owner";
import { caseTimeline } from "./queries";

const OTHER_NUMBER = "+8618620001234";
const HOUR = 3600_000;
const NOTE = "内部备注：前机主刘某某，勿告知号主";

describe("the owner's side of cases (lib/cases/owner.ts)", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const store = memoryEvidenceStore();
  let me: CaseOwner;
  let them: CaseOwner;
  let mine: Awaited<ReturnType<typeof ownerWithHistory>>;
  let theirs: Awaited<ReturnType<typeof ownerWithHistory>>;
  let agentId: string;
  let carrierId: string;
  /** Cases the number's previous holder (前机主) left under the same owner row. */
  let previousHelp: string;
  let previousReportCase: string;
  // Each test speaks at its own hour, so the message allowance of one does not reach the next.
  let hour = 0;
  const at = () => new Date(clock.now().getTime() + ++hour * HOUR);

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver(async () => ({ status: 200, body: { ok: true } }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    partner.setKnobs("*", { unbind: { callbacks: 0 }, report: { statuses: [] } });
    const deps: DispatchDeps = { db: t.db, clock, policy: { allowLoopback: true, requireHttps: false }, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, random: () => 0.5 };
    const [carrier] = await t.db.select({ id: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.number, DEMO_OWNER_NUMBER));
    carrierId = carrier!.id!;
    const [agent] = await t.db.insert(staffUsers).values({ email: "agent@test", displayName: "王客服", role: "agent", carrierId, passwordHash: "x" }).returning({ id: staffUsers.id });
    agentId = agent!.id;
    mine = await ownerWithHistory(t.db, store, { number: DEMO_OWNER_NUMBER, clock, deps, staffId: agentId, text: "【易贷花】刘某某 逾期", reportTo: "easy-credit" });
    theirs = await ownerWithHistory(t.db, store, { number: OTHER_NUMBER, clock, deps, staffId: agentId, text: "【快贷】王某 逾期", reportTo: "linkup-chat" });
    me = { id: mine.ownerId, number: DEMO_OWNER_NUMBER };
    them = { id: theirs.ownerId, number: OTHER_NUMBER };

    // The previous holder asked for help in 2025 (still active: nobody answered) and had a report in a case.
    const before = new Date("2025-01-02T00:00:00Z");
    previousHelp = (await openCase(t.db, { kind: "owner_help", subject: { ownerId: me.id }, ownerId: me.id, platformId: null, carrierId, message: "前机主的求助", at: before })).id;
    const [ended] = await t.db.select({ id: numberTenures.id }).from(numberTenures).where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNotNull(numberTenures.endedAt)));
    const reportId = crypto.randomUUID();
    await t.db.insert(reports).values({
      id: reportId,
      ownerId: me.id,
      tenureId: ended!.id,
      channel: "sms",
      category: "other",
      suggestedCategory: "other",
      textEnc: sealField(reportId, "text", "前机主时期的举报")!,
      receivedAt: before,
      dedupeKey: "previous",
      createdAt: before,
      updatedAt: before,
    });
    previousReportCase = (await openCase(t.db, { kind: "report_review", subject: { reportId }, ownerId: me.id, platformId: null, carrierId, at: before })).id;
    await transitionCase(t.db, { caseId: previousReportCase, to: "closed", actorId: null, at: before });
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });

  it("lists the owner's own cases of their current holding only: never another owner's, never the previous holder's", async () => {
    const ids = (await ownerCases(t.db, me)).map((c) => c.id);
    expect(ids).toContain(mine.caseId);
    for (const foreign of [theirs.caseId, previousHelp, previousReportCase]) expect(ids).not.toContain(foreign);
    expect((await ownerCases(t.db, them)).map((c) => c.id)).toEqual([theirs.caseId]);
    const row = (await ownerCases(t.db, me)).find((c) => c.id === mine.caseId)!;
    expect(row).toMatchObject({ kind: "report_review", status: "open", settled: false, createdAt: clock.now(), lastActivityAt: clock.now() });
  });

  it("reads one case as the owner may see it: replies without staff ids, no internal notes; someone else's or an earlier holder's is not found", async () => {
    const when = at();
    await noteCase(t.db, { caseId: mine.caseId, staffId: agentId, note: NOTE, at: when });
    const view = (await ownerCase(t.db, me, mine.caseId))!;
    expect(view.carrier).toEqual({ nameZh: "中国移动", nameEn: "China Mobile" });
    expect(view.entries).toEqual([
      { id: expect.any(String), at: clock.now(), kind: "opened" },
      { id: expect.any(String), at: clock.now(), kind: "reply", text: "已联系该公司停止拨打" },
    ]);
    const text = JSON.stringify(view);
    for (const hidden of [NOTE, agentId, "王客服"]) expect(text).not.toContain(hidden);
    // An internal note is not "activity" the owner can see.
    expect((await ownerCases(t.db, me)).find((c) => c.id === mine.caseId)!.lastActivityAt).toEqual(clock.now());
    // The number page lists the case with customer service's latest reply, never the note.
    expect((await ownerCases(t.db, me)).find((c) => c.id === mine.caseId)!.lastReply).toEqual({ at: clock.now(), text: "已联系该公司停止拨打" });

    for (const id of [theirs.caseId, previousHelp, previousReportCase, crypto.randomUUID()]) expect(await ownerCase(t.db, me, id)).toBeNull();
    expect(await ownerCase(t.db, them, mine.caseId)).toBeNull();
  });

  it("an answer moves a case waiting for the owner back in progress; someone else's, an earlier holder's or a settled case takes nothing", async () => {
    const when = at();
    await transitionCase(t.db, { caseId: mine.caseId, to: "in_progress", actorId: agentId, at: when });
    await transitionCase(t.db, { caseId: mine.caseId, to: "waiting_owner", actorId: agentId, at: when });
    expect(await answerCase(t.db, { owner: me, caseId: mine.caseId, text: "  对，还在打 ", at: when })).toEqual({ ok: true });
    const [row] = await t.db.select({ status: agentCases.status }).from(agentCases).where(eq(agentCases.id, mine.caseId));
    expect(row!.status).toBe("in_progress");
    expect((await ownerCase(t.db, me, mine.caseId))!.entries.at(-2)).toMatchObject({ kind: "owner_reply", text: "对，还在打" });
    expect((await ownerCase(t.db, me, mine.caseId))!.entries.at(-1)).toMatchObject({ kind: "status", toStatus: "in_progress" });

    const events = async (caseId: string) => (await t.db.select({ id: caseEvents.id }).from(caseEvents).where(eq(caseEvents.caseId, caseId))).length;
    const counts = [await events(theirs.caseId), await events(previousHelp)];
    expect(await answerCase(t.db, { owner: me, caseId: theirs.caseId, text: "不是我的", at: when })).toEqual({ ok: false, error: "not_found" });
    expect(await answerCase(t.db, { owner: me, caseId: previousHelp, text: "前机主的案子", at: when })).toEqual({ ok: false, error: "not_found" });
    expect(await answerCase(t.db, { owner: me, caseId: crypto.randomUUID(), text: "x", at: when })).toEqual({ ok: false, error: "not_found" });
    expect([await events(theirs.caseId), await events(previousHelp)]).toEqual(counts);
    expect(await answerCase(t.db, { owner: me, caseId: mine.caseId, text: " \n ", at: when })).toEqual({ ok: false, error: "empty" });

    const help = await askForHelp(t.db, { owner: them, message: "帮帮我", at: when });
    await transitionCase(t.db, { caseId: help.ok ? help.caseId : "", to: "resolved", actorId: agentId, at: when });
    expect(await answerCase(t.db, { owner: them, caseId: help.ok ? help.caseId : "", text: "还有问题", at: when })).toEqual({ ok: false, error: "settled" });
  });

  it("contact customer service: opens an owner_help case with the message; a second message joins the active one; an earlier holder's active one is closed, not joined", async () => {
    const when = at();
    const first = await askForHelp(t.db, { owner: me, message: "总收到催收短信，怎么办？", at: when });
    expect(first).toMatchObject({ ok: true, joined: false });
    if (!first.ok) return;
    expect(first.caseId).not.toBe(previousHelp);
    const [opened] = await t.db.select().from(agentCases).where(eq(agentCases.id, first.caseId));
    expect(opened).toMatchObject({ kind: "owner_help", ownerId: me.id, carrierId, status: "open" });
    // The previous holder's help request was closed by the system, and stays unseen.
    const [previous] = await t.db.select({ status: agentCases.status }).from(agentCases).where(eq(agentCases.id, previousHelp));
    expect(previous!.status).toBe("closed");
    expect((await caseTimeline(t.db, previousHelp)).at(-1)).toMatchObject({ kind: "status", toStatus: "closed", actorId: null });

    expect(await askForHelp(t.db, { owner: me, message: "补充：是易贷花", at: when })).toEqual({ ok: true, caseId: first.caseId, joined: true });
    expect((await ownerCase(t.db, me, first.caseId))!.entries.map((e) => [e.kind, "text" in e ? e.text : null])).toEqual([
      ["opened", null],
      ["owner_reply", "总收到催收短信，怎么办？"],
      ["owner_reply", "补充：是易贷花"],
    ]);
    expect((await ownerCases(t.db, me)).filter((c) => c.kind === "owner_help").map((c) => c.id)).toEqual([first.caseId]);
    expect(await askForHelp(t.db, { owner: me, message: "   ", at: when })).toEqual({ ok: false, error: "empty" });
  });

  it("limits the owner's messages to customer service (help and answers together), and writes nothing over the limit", async () => {
    const when = new Date(clock.now().getTime() + 30 * 24 * HOUR);
    const max = OWNER_MESSAGE_LIMITS[0].max;
    for (let i = 0; i < max; i++) expect((await askForHelp(t.db, { owner: them, message: `第${i}条`, at: when })).ok).toBe(true);
    const [help] = (await ownerCases(t.db, them)).filter((c) => c.kind === "owner_help" && !c.settled);
    const before = (await caseTimeline(t.db, help!.id)).length;
    const refused = await askForHelp(t.db, { owner: them, message: "再一条", at: when });
    expect(refused).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: 600 });
    expect(await answerCase(t.db, { owner: them, caseId: help!.id, text: "再一条", at: when })).toMatchObject({ ok: false, error: "rate_limited" });
    expect((await caseTimeline(t.db, help!.id)).length).toBe(before);
    // The window passes: allowed again. Another owner was never limited.
    expect((await askForHelp(t.db, { owner: them, message: "十分钟后", at: new Date(when.getTime() + 10 * 60_000) })).ok).toBe(true);
    expect((await askForHelp(t.db, { owner: me, message: "我没被限制", at: when })).ok).toBe(true);
  });

  it("the data export holds the owner's own cases with what they wrote and customer service's replies, never a note nor the previous holder's", async () => {
    const when = at();
    const help = await askForHelp(t.db, { owner: me, message: "导出里要有我的话", at: when });
    if (!help.ok) throw new Error("not opened");
    await replyCase(t.db, { caseId: help.caseId, staffId: agentId, text: "我们已收到", at: when });
    await noteCase(t.db, { caseId: help.caseId, staffId: agentId, note: NOTE, at: when });
    const data = (await ownerExport(t.db, { ownerId: me.id, number: me.number, now: when, label: (p) => p.nameEn, names: new Map() }))!;
    const exported = data.cases.find((c) => c.id === help.caseId)!;
    expect(exported).toMatchObject({ kind: "owner_help" });
    expect(exported.replies).toEqual([{ at: when.toISOString(), text: "我们已收到" }]);
    expect(exported.yourMessages.map((m) => m.text)).toContain("导出里要有我的话");
    const text = JSON.stringify(data);
    for (const hidden of [NOTE, agentId, previousHelp, previousReportCase, "前机主的求助"]) expect(text).not.toContain(hidden);
  });

  // Last: it deletes the owner.
  it("erasing the owner's data removes their cases of this holding, help included, and keeps the previous holder's", async () => {
    const own = (await ownerCases(t.db, me)).map((c) => c.id);
    expect(own.length).toBeGreaterThan(1);
    const erased = await eraseOwner(t.db, store, { ownerId: me.id, number: me.number, now: at() });
    expect(erased.ok).toBe(true);
    const left = await t.db.select({ id: agentCases.id }).from(agentCases);
    const ids = left.map((c) => c.id);
    for (const id of own) expect(ids).not.toContain(id);
    expect(ids).toContain(previousHelp);
    expect(ids).toContain(theirs.caseId);
  });
});
