import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, caseEvents, carriers, numberTenures, outbox, platforms, staffUsers, unbindBatches, unbindEvents, unbindItems } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { assignCase, openCase } from "@/lib/cases/cases";
import { caseReplySmsText } from "@/lib/cases/reply-sms";
import { fakeClock } from "@/lib/clock";
import { dispatchOnce, MAX_ATTEMPTS, RETRY_DELAYS_MS, type DispatchDeps } from "@/lib/outbox/dispatch";
import { recordingSms } from "@/lib/otp/testing";
import { ownerWithHistory } from "@/lib/owners/testing";
import { generateSigningJwk, loadSigningKeys, publicJwks } from "@/lib/platforms/keys";
import { startCallbackReceiver, waitFor } from "@/lib/platforms/testing";
import { memoryEvidenceStore } from "@/lib/reports/testing";
import { ownerBatch } from "@/lib/unbind/batch";
import { handleUnbindResult } from "@/lib/unbind/callbacks";
import { unbindRecord } from "@/lib/unbind/record";
import { RESENT_BY_AGENT } from "@/lib/unbind/resend";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { numberView } from "./number-view";
import { caseView, openCaseView, revealCaseReport } from "./case-view";
import { addNote, confirmTenure, contactPlatform, replyOwner, resendItem, setCaseStatus, type CaseWorker } from "./case-work";

/**
 * The case page's reads and actions (issue 14) against the reference partner server: scoping,
 * audit rows, report previews, re-sending under the same requestId, the reply SMS, the tenure
 * confirmation and the status moves.
 */
describe("the agent's case page", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const sms = recordingSms();
  let deps: DispatchDeps;
  let history: Awaited<ReturnType<typeof ownerWithHistory>>;
  let agent: CaseWorker;
  let foreignAgent: CaseWorker;
  let itemId: string;
  let itemCase: string;
  let slug: string;

  const audits = (action: string, subjectId: string) => t.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)));
  const caseRow = async (id: string) => (await t.db.select().from(agentCases).where(eq(agentCases.id, id)))[0]!;
  const item = async () => (await t.db.select().from(unbindItems).where(eq(unbindItems.id, itemId)))[0]!;
  const outboxOf = async (messageId: string) => t.db.select().from(outbox).where(eq(outbox.messageId, messageId));

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const ids = Object.fromEntries((await t.db.select({ id: carriers.id, code: carriers.code }).from(carriers)).map((c) => [c.code, c.id]));
    const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver((input) => handleUnbindResult(t.db, { ...input, now: clock.now() }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    partner.setKnobs("*", { unbind: { callbacks: 0 }, report: { statuses: [] } });
    deps = { db: t.db, clock, policy: { allowLoopback: true, requireHttps: false }, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, sms: () => sms, publicUrl: "https://reclaim.test", random: () => 0.5 };
    const staff = await t.db
      .insert(staffUsers)
      .values([
        { email: "agent@test", displayName: "王芳", role: "agent", carrierId: ids.cmcc!, passwordHash: "x" },
        { email: "other@test", displayName: "B", role: "agent", carrierId: ids.cucc!, passwordHash: "x" },
      ])
      .returning({ id: staffUsers.id, carrierId: staffUsers.carrierId });
    agent = { id: staff[0]!.id, carrierId: staff[0]!.carrierId };
    foreignAgent = { id: staff[1]!.id, carrierId: staff[1]!.carrierId };
    history = await ownerWithHistory(t.db, memoryEvidenceStore(), { number: DEMO_OWNER_NUMBER, clock, deps, staffId: agent.id, text: "尊敬的刘伟先生，您的借款已逾期，请致电13912345678", unbind: 1 });
    [{ id: itemId } = { id: "" }] = await t.db.select({ id: unbindItems.id }).from(unbindItems).where(eq(unbindItems.batchId, history.batchId!));
    const [{ slug: s } = { slug: "" }] = await t.db.select({ slug: platforms.slug }).from(unbindItems).innerJoin(platforms, eq(platforms.id, unbindItems.platformId)).where(eq(unbindItems.id, itemId));
    slug = s;
    // The platform took the request and never answered: a `no_answer` case, as the silence check opens it.
    const [tenure] = await t.db.select({ carrierId: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.id, history.tenureId));
    const opened = await openCase(t.db, { kind: "no_answer", subject: { unbindItemId: itemId }, ownerId: history.ownerId, platformId: (await item()).platformId, carrierId: tenure!.carrierId, at: clock.now() });
    itemCase = opened.id;
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });

  it("shows a case of the agent's carrier only: another carrier's, an unknown and a malformed id are all null, and nothing is audited for them", async () => {
    const view = await caseView(t.db, itemCase, agent.carrierId, clock.now());
    expect(view?.case).toMatchObject({ id: itemCase, kind: "no_answer", status: "open", settled: false });
    expect(view?.case.timeLeft).toMatchObject({ deadline: "first_response", overdue: false, span: { unit: "days", value: 2 } });
    expect(view?.tenureId).toBe(history.tenureId);
    expect(view?.number?.batches.find((b) => b.own)?.items[0]).toMatchObject({ id: itemId, status: "accepted", resendable: true });
    expect(view?.timeline.map((e) => e.kind)).toEqual(["opened"]);
    for (const id of [itemCase, crypto.randomUUID(), "not-a-uuid", "' or 1=1 --"]) {
      expect(await openCaseView(t.db, id, { staffId: foreignAgent.id, scope: foreignAgent.carrierId }, clock.now())).toBeNull();
    }
    expect(await audits("case.viewed", itemCase)).toHaveLength(0);
    expect(await openCaseView(t.db, itemCase, { staffId: agent.id, scope: agent.carrierId }, clock.now())).not.toBeNull();
    expect(await audits("case.viewed", itemCase)).toEqual([expect.objectContaining({ actorType: "staff", actorId: agent.id, subjectType: "agent_case" })]);
  });

  it("previews reports redacted; the full text only for the assigned agent, audited", async () => {
    const view = await caseView(t.db, history.caseId, agent.carrierId, clock.now());
    const previews = view!.number!.reports.map((r) => r.preview);
    expect(previews.join(" ")).not.toContain("刘伟");
    expect(previews.join(" ")).not.toContain("13912345678");
    expect(previews.some((p) => p.includes("刘*先生"))).toBe(true);
    const reportId = history.reportIds[1]!;
    const reader = { staffId: agent.id, scope: agent.carrierId };
    expect(await revealCaseReport(t.db, { caseId: history.caseId, reportId, reader })).toEqual({ ok: false, error: "not_assigned" });
    expect(await revealCaseReport(t.db, { caseId: history.caseId, reportId, reader: { staffId: foreignAgent.id, scope: foreignAgent.carrierId } })).toEqual({ ok: false, error: "not_found" });
    expect(await audits("report.revealed", reportId)).toHaveLength(0);
    await assignCase(t.db, { caseId: history.caseId, assigneeId: agent.id, actor: { id: agent.id, role: "agent", carrierId: agent.carrierId } });
    const revealed = await revealCaseReport(t.db, { caseId: history.caseId, reportId, reader });
    expect(revealed).toMatchObject({ ok: true });
    expect(revealed.ok && revealed.text).toContain("刘伟");
    expect(await audits("report.revealed", reportId)).toEqual([expect.objectContaining({ actorId: agent.id, subjectType: "report" })]);
  });

  it("every action refuses another carrier's case and writes nothing", async () => {
    const before = (await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, itemCase))).length;
    const at = clock.now();
    const a = foreignAgent;
    expect(await setCaseStatus(t.db, { caseId: itemCase, to: "in_progress", actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect(await addNote(t.db, { caseId: itemCase, text: "x", actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect(await replyOwner(t.db, { caseId: itemCase, text: "x", waitForOwner: true, actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect(await contactPlatform(t.db, { caseId: itemCase, method: "called", text: "x", label: "Called", actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect(await confirmTenure(t.db, { caseId: itemCase, resolve: false, actor: a, at })).toEqual({ ok: false, error: "not_found" });
    expect((await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, itemCase))).length).toBe(before);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.actorId, a.id))).toHaveLength(0);
    expect((await item()).status).toBe("accepted");
  });

  it("re-sends an unanswered item under the same requestId with a fresh retry budget; the owner's page and record show it", async () => {
    const [first] = await outboxOf(itemId);
    expect(first).toMatchObject({ status: "delivered", attempts: 1, earlierAttempts: 0 });
    // The platform now fails every request until retries run out.
    partner.setKnobs(slug, { errorRate: 1 });
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: true });
    expect(await outboxOf(itemId)).toEqual([expect.objectContaining({ id: first!.id, status: "pending", attempts: 0, earlierAttempts: 1, deliveredAt: null })]);
    expect(await item()).toMatchObject({ status: "queued" });
    // The case page's row says when it went again.
    const shownItem = (await caseView(t.db, itemCase, agent.carrierId, clock.now()))!.number!.batches.flatMap((b) => b.items).find((i) => i.id === itemId)!;
    expect(shownItem).toMatchObject({ resendable: false, resentAt: clock.now() });
    expect((await caseRow(itemCase)).status).toBe("waiting_platform");
    expect(await audits("unbind.resent", itemId)).toHaveLength(1);
    const [batch] = await t.db.select().from(unbindBatches).where(eq(unbindBatches.id, history.batchId!));
    expect(batch!.completedAt).toBeNull();
    // While it is out again it cannot be re-sent twice.
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "not_resendable" });

    const before = partner.stats().requests[`${slug} /unbind`] ?? 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await dispatchOnce(deps);
      if (attempt < MAX_ATTEMPTS) clock.advance(RETRY_DELAYS_MS[attempt - 1]!);
    }
    expect(partner.stats().requests[`${slug} /unbind`]).toBe(before + MAX_ATTEMPTS);
    expect(await item()).toMatchObject({ status: "failed", reason: "unreachable" });
    expect(await outboxOf(itemId)).toEqual([expect.objectContaining({ status: "dead", attempts: MAX_ATTEMPTS, earlierAttempts: 1 })]);
    // The failure finds this case active: no second case for the item.
    expect(await t.db.select().from(agentCases).where(eq(agentCases.unbindItemId, itemId))).toHaveLength(2); // no_answer + delivery_failed
    const smsBefore = sms.sent.length;
    await dispatchOnce(deps); // the batch's completion SMS
    const smsAfterFirstCompletion = sms.sent.length;
    expect(smsAfterFirstCompletion).toBe(smsBefore + 1);

    // The knob is turned off; customer service sends it again: the same requestId (webhook-id),
    // delivered and answered. A platform that had already taken the request would answer 202 and do
    // nothing twice (docs/partner-api.md); the reference server is reset to one that never got it.
    partner.reset();
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: true });
    await dispatchOnce(deps);
    await waitFor(async () => (await item()).status === "unbound");
    expect(partner.stats({ number: DEMO_OWNER_NUMBER }).unbinds).toEqual({ [itemId]: 1 });
    const [row] = await outboxOf(itemId);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, earlierAttempts: 1 + MAX_ATTEMPTS });
    const [done] = await t.db.select().from(unbindBatches).where(eq(unbindBatches.id, history.batchId!));
    expect(done!.completedAt).not.toBeNull();
    await dispatchOnce(deps);
    expect(sms.sent.length).toBe(smsAfterFirstCompletion); // told "complete" once only

    // The owner's batch page: each re-send is a `queued` entry saying customer service sent it, then the answers.
    const view = await ownerBatch(t.db, history.ownerId, history.batchId!);
    const events = view!.items[0]!.events;
    expect(events.filter((e) => e.reason === RESENT_BY_AGENT)).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ status: "unbound" });
    const record = await unbindRecord(t.db, { id: history.ownerId, number: DEMO_OWNER_NUMBER, tenureId: history.tenureId }, history.batchId!, clock.now());
    expect(record!.items[0]).toMatchObject({ attempts: 2 + MAX_ATTEMPTS, delivery: "delivered" });
    // The number page counts every attempt, over all rounds.
    const numbers = await numberView(t.db, history.tenureId, agent.carrierId);
    expect(numbers!.batches.find((b) => b.id === history.batchId)!.items[0]!.attempts).toBe(2 + MAX_ATTEMPTS);
    // Answered now: not re-sendable.
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "not_resendable" });
  });

  it("refuses to re-send to a disabled platform, and an item of another batch", async () => {
    await t.db.update(unbindItems).set({ status: "failed", reason: "endpoint_gone" }).where(eq(unbindItems.id, itemId));
    const [p] = await t.db.select({ id: unbindItems.platformId }).from(unbindItems).where(eq(unbindItems.id, itemId));
    await t.db.update(platforms).set({ status: "disabled" }).where(eq(platforms.id, p!.id));
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "platform_unavailable" });
    expect(await contactPlatform(t.db, { caseId: itemCase, method: "protocol", text: "", label: "", actor: agent, at: clock.now() })).toEqual({ ok: false, error: "not_participating" });
    // Recording a call is always possible: an internal note, and the case waits for the platform.
    expect(await contactPlatform(t.db, { caseId: itemCase, method: "called", text: "客服热线，已登记", label: "Called", actor: agent, at: clock.now() })).toEqual({ ok: true });
    const timeline = await caseView(t.db, itemCase, agent.carrierId, clock.now());
    expect(timeline!.timeline.at(-1)).toMatchObject({ kind: "note", text: "Called: 客服热线，已登记", actorName: "王芳" });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "case.platform_contacted"))).toHaveLength(1);
    await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, p!.id));
    expect(await resendItem(t.db, { caseId: itemCase, itemId: crypto.randomUUID(), actor: agent, at: clock.now() })).toEqual({ ok: false, error: "not_found" });
    expect((await t.db.select().from(unbindEvents).where(eq(unbindEvents.itemId, itemId))).length).toBeGreaterThan(0);
  });

  it("replies to the owner: the reply event, the SMS outbox row keyed by it, a text without the reply, and waiting for the owner", async () => {
    const reply = "我们已联系平台，请你登录后确认。";
    expect(await replyOwner(t.db, { caseId: itemCase, text: "   ", waitForOwner: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "empty" });
    expect(await replyOwner(t.db, { caseId: itemCase, text: reply, waitForOwner: true, actor: agent, at: clock.now() })).toEqual({ ok: true });
    const [event] = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, itemCase), eq(caseEvents.kind, "reply")));
    expect(await outboxOf(event!.id)).toEqual([expect.objectContaining({ kind: "case_reply_sms", status: "pending", platformId: null })]);
    expect((await caseRow(itemCase)).status).toBe("waiting_owner");
    expect(await audits("case.replied", itemCase)).toHaveLength(1);
    const sent = sms.sent.length;
    await dispatchOnce(deps);
    expect(sms.sent.length).toBe(sent + 1);
    const text = sms.sent.at(-1)!;
    expect(text).toMatchObject({ to: DEMO_OWNER_NUMBER, locale: "zh-CN", template: { kind: "case_reply", params: { link: "https://reclaim.test/me" } } });
    expect(text.body).toBe(caseReplySmsText("zh-CN", "https://reclaim.test"));
    expect(text.body.startsWith("【Reclaim】")).toBe(true);
    expect(text.body).not.toContain("平台");
    expect(caseReplySmsText("en", "https://reclaim.test")).toBe("【Reclaim】Carrier customer service replied to you. Sign in to read it: https://reclaim.test/me");
  });

  it("refuses a reply on a case of the number's earlier holder (the owner row follows the number): nothing written, nobody texted", async () => {
    const [tenure] = await t.db.select({ startedAt: numberTenures.startedAt, carrierId: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.id, history.tenureId));
    const before = new Date(tenure!.startedAt.getTime() - 30 * 86_400_000);
    const old = await openCase(t.db, { kind: "owner_help", subject: { ownerId: history.ownerId }, ownerId: history.ownerId, platformId: null, carrierId: tenure!.carrierId, message: "前机主的求助", at: before });
    const texts = (await t.db.select().from(outbox).where(eq(outbox.kind, "case_reply_sms"))).length;
    expect((await caseView(t.db, old.id, agent.carrierId, clock.now()))!.case.ownerReachable).toBe(false);
    expect((await caseView(t.db, itemCase, agent.carrierId, clock.now()))!.case.ownerReachable).toBe(true);
    expect(await replyOwner(t.db, { caseId: old.id, text: "您好", waitForOwner: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "moved_on" });
    expect(await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, old.id), eq(caseEvents.kind, "reply")))).toEqual([]);
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, "case_reply_sms"))).toHaveLength(texts);
  });

  it("moves status through the machine, refuses illegal moves and changes to a settled case, and reopens", async () => {
    expect(await setCaseStatus(t.db, { caseId: itemCase, to: "in_progress", actor: agent, at: clock.now() })).toEqual({ ok: true });
    expect(await addNote(t.db, { caseId: itemCase, text: "内部备注", actor: agent, at: clock.now() })).toEqual({ ok: true });
    expect(await setCaseStatus(t.db, { caseId: itemCase, to: "resolved", actor: agent, at: clock.now() })).toEqual({ ok: true });
    expect(await setCaseStatus(t.db, { caseId: itemCase, to: "waiting_owner", actor: agent, at: clock.now() })).toEqual({ ok: false, error: "illegal", from: "resolved" });
    expect(await addNote(t.db, { caseId: itemCase, text: "x", actor: agent, at: clock.now() })).toEqual({ ok: false, error: "settled" });
    expect(await replyOwner(t.db, { caseId: itemCase, text: "x", waitForOwner: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "settled" });
    expect(await resendItem(t.db, { caseId: itemCase, itemId, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "settled" });
    expect(await setCaseStatus(t.db, { caseId: itemCase, to: "in_progress", actor: agent, at: clock.now() })).toEqual({ ok: true }); // reopen
    expect((await caseRow(itemCase)).settledAt).toBeNull();
    const view = await caseView(t.db, itemCase, agent.carrierId, clock.now());
    expect(view!.timeline.filter((e) => e.kind === "note").length).toBe(2);
  });

  it("confirms or corrects the tenure start on a tenure_review case, and may resolve it", async () => {
    const [tenure] = await t.db.select().from(numberTenures).where(eq(numberTenures.id, history.tenureId));
    const review = await openCase(t.db, { kind: "tenure_review", subject: { tenureId: history.tenureId }, ownerId: history.ownerId, platformId: null, carrierId: tenure!.carrierId, at: clock.now() });
    expect(await confirmTenure(t.db, { caseId: itemCase, resolve: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "not_tenure_case" });
    expect(await confirmTenure(t.db, { caseId: review.id, startedAt: new Date(clock.now().getTime() + 86_400_000), resolve: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "future" });
    expect(await confirmTenure(t.db, { caseId: review.id, startedAt: new Date("1999-01-01T00:00:00Z"), resolve: false, actor: agent, at: clock.now() })).toEqual({ ok: false, error: "too_old" });
    const corrected = new Date("2024-03-01T00:00:00+08:00");
    expect(await confirmTenure(t.db, { caseId: review.id, startedAt: corrected, resolve: true, actor: agent, at: clock.now() })).toEqual({ ok: true });
    const [after] = await t.db.select().from(numberTenures).where(eq(numberTenures.id, history.tenureId));
    expect(after).toMatchObject({ source: "agent_confirmed", startedAt: corrected });
    expect((await caseRow(review.id)).status).toBe("resolved");
    const view = await caseView(t.db, review.id, agent.carrierId, clock.now());
    expect(view!.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(["tenure_confirmed"]));
    expect(view!.timeline.find((e) => e.kind === "tenure_confirmed")!.text).toBe(corrected.toISOString());
    const [audit] = await audits("tenure.confirmed", history.tenureId);
    expect(audit!.metadata).toMatchObject({ caseId: review.id, previousStartedAt: tenure!.startedAt.toISOString(), startedAt: corrected.toISOString() });
    expect(JSON.stringify(audit)).not.toContain(DEMO_OWNER_NUMBER);
    await t.db.update(numberTenures).set({ startedAt: tenure!.startedAt, source: tenure!.source }).where(inArray(numberTenures.id, [history.tenureId]));
  });
});
