import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "@/db";
import { agentCases, auditLog, carriers, numberTenures, outbox, owners, platforms, reportCategory, reportEvents, reportEvidence, reports, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER, sandboxSigningSecret } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { fakeClock } from "@/lib/clock";
import type { EgressPolicy } from "@/lib/platforms/egress";
import { signatureHeaders } from "@/lib/platforms/signing";
import { startCallbackReceiver, waitFor } from "@/lib/platforms/testing";
import { dispatchOnce, type DispatchDeps } from "@/lib/outbox/dispatch";
import { REPORT_SILENCE_MS, sendSilentReportsToAgents } from "./status";
import { handleReportResult } from "./callbacks";
import { REPORT_CATEGORIES } from "./classify";
import {
  closeReport,
  createReport,
  ownerReport,
  ownerReports,
  agentReport,
  readEvidence,
  reportPreview,
  repeatDraft,
  type ReportInput,
} from "./service";
import { DAILY_REPORT_LIMIT } from "./limits";
import { memoryEvidenceStore } from "./testing";
import { forwardedCopy, submittedField } from "./forwarded";

const DEV_POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };
const DEBT_SMS = "【易贷花】刘某某 因欠款逾期，我们工作人员已驱车前往您居住地，请尽快联系 13812345678 处理欠款3,280.50元，身份证号110101199003071233已登记。";
/** A 1×1 PNG: the smallest real screenshot. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

it("stores the same categories the classifier and the form offer", () => {
  // The classifier runs in the browser too, so it keeps its own list; the database enum must match it.
  expect(reportCategory.enumValues).toEqual([...REPORT_CATEGORIES]);
});

describe("wrong-party reports: encrypted, forwarded through the outbox, answered by callback", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let ownerId: string;
  let otherOwnerId: string;
  let tenureId: string;
  let carrierId: string;
  let idOf: Map<string, string>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const store = memoryEvidenceStore();
  let deps: DispatchDeps;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    receiver = await startCallbackReceiver((input) => handleReportResult(t.db, { ...input, now: clock.now() }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: { keys: [] } });
    deps = { db: t.db, clock, policy: DEV_POLICY, env: { SANDBOX_PARTNER_URL: partner.url }, timeoutMs: 1500, random: () => 0.5 };

    const inserted = await t.db
      .insert(owners)
      .values([
        { number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: clock.now() },
        { number: "+8618620001234", termsVersion: "test", termsAcceptedAt: clock.now() },
      ])
      .returning({ id: owners.id });
    ownerId = inserted[0]!.id;
    otherOwnerId = inserted[1]!.id;
    const [tenure] = await t.db
      .select({ id: numberTenures.id, carrierId: numberTenures.carrierId })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    carrierId = tenure!.carrierId!;
    const rows = await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms);
    idOf = new Map(rows.map((r) => [r.slug, r.id]));
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });
  beforeEach(async () => {
    partner.reset();
    // Each test starts with no open reports and a fresh day.
    await t.db.update(reports).set({ status: "closed", closedAt: clock.now() }).where(isNull(reports.closedAt));
    await t.db.update(outbox).set({ status: "dead" }).where(eq(outbox.status, "pending"));
    clock.advance(25 * 3600_000);
  });

  const input = (over: Partial<ReportInput> = {}): ReportInput => ({
    channel: "sms",
    text: DEBT_SMS,
    sender: "10690003001",
    receivedAt: new Date(clock.now().getTime() - 3600_000),
    platformId: idOf.get("easy-credit"),
    ...over,
  });
  const report = (over: Partial<ReportInput> = {}, evidence: { bytes: Uint8Array; mime: string }[] = []) =>
    createReport(t.db, store, { ownerId, number: DEMO_OWNER_NUMBER, report: input(over), evidence, now: clock.now() });
  const row = async (id: string) => (await t.db.select().from(reports).where(eq(reports.id, id)))[0]!;
  const timeline = async (id: string) => (await t.db.select().from(reportEvents).where(eq(reportEvents.reportId, id)).orderBy(reportEvents.id)).map((e) => e.status);

  it("stores the text and sender encrypted: the raw columns hold no plaintext", async () => {
    const created = await report({}, [{ bytes: PNG, mime: "image/png" }]);
    expect(created).toMatchObject({ ok: true, merged: false });
    if (!created.ok) return;
    const [raw] = await queryRows<{ text_enc: string; sender_enc: string }>(t.db, sql`select text_enc, sender_enc from reports where id = ${created.reportId}`);
    for (const plain of ["刘某某", "13812345678", "欠款", "易贷花", "110101199003071233"]) expect(raw!.text_enc).not.toContain(plain);
    expect(raw!.text_enc).toMatch(/^v1\.[0-9a-f]{16}\./);
    expect(raw!.sender_enc).not.toContain("10690003001");
    // The screenshot is stored encrypted too, and reads back as the image.
    const [file] = await t.db.select().from(reportEvidence).where(eq(reportEvidence.reportId, created.reportId));
    const stored = Buffer.from(store.files.get(file!.storageKey)!);
    expect(stored.includes(PNG.subarray(0, 8))).toBe(false);
    const back = await readEvidence(t.db, store, { kind: "owner", ownerId, tenureId }, { reportId: created.reportId, evidenceId: file!.id });
    expect(Buffer.from(back!.bytes).subarray(0, 8)).toEqual(PNG.subarray(0, 8));
    // The same ids spelled in upper case (as a URL may carry them) find and decrypt the same file.
    const upper = await readEvidence(t.db, store, { kind: "owner", ownerId, tenureId }, { reportId: created.reportId.toUpperCase(), evidenceId: file!.id.toUpperCase() });
    expect(Buffer.from(upper!.bytes)).toEqual(Buffer.from(back!.bytes));
    // The owner's own view decrypts it; the classifier's suggestion is kept next to the choice.
    const view = await ownerReport(t.db, { ownerId, tenureId }, created.reportId);
    expect(view).toMatchObject({ text: DEBT_SMS, sender: "10690003001", category: "debt_collection", suggestedCategory: "debt_collection" });
  });

  it("forwards a report naming a platform, redacted, and follows the platform's answers to resolved", async () => {
    partner.setKnobs("easy-credit", { report: { statuses: ["acknowledged", "contact_stopped"], delayMs: 20, note: "已将该号码加入免打扰名单" } });
    const created = await report();
    if (!created.ok) throw new Error("not created");
    const [queued] = await t.db.select().from(outbox).where(eq(outbox.messageId, created.reportId));
    expect(queued).toMatchObject({ kind: "wrong_party_report", status: "pending", platformId: idOf.get("easy-credit") });
    expect((await row(created.reportId)).status).toBe("received");

    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 1, delivered: 1 });
    const sent = partner.stats().reports[created.reportId]!;
    expect(sent.deliveries).toBe(1);
    expect(sent.category).toBe("debt_collection");
    // What leaves the service is redacted: the name, the phone number, the ID and the amount.
    expect(sent.text).toContain("刘**");
    for (const plain of ["刘某某", "13812345678", "110101199003071233", "3,280.50"]) expect(sent.text).not.toContain(plain);
    expect(sent.text).toContain("【易贷花】");
    expect(new Date(sent.tenureStart).toISOString()).toBe("2026-03-15T02:30:00.000Z");
    expect((await row(created.reportId)).status).toBe("forwarded");

    await waitFor(async () => (await row(created.reportId)).status === "resolved");
    const done = await row(created.reportId);
    expect(done).toMatchObject({ reason: "contact_stopped", note: "已将该号码加入免打扰名单" });
    expect(done.closedAt).not.toBeNull();
    expect(await timeline(created.reportId)).toEqual(["received", "forwarded", "acknowledged", "resolved"]);
    await waitFor(async () => partner.pendingCallbacks() === 0);
    expect(partner.stats().reportCallbacks.statuses).toEqual({ acknowledged: 1, contact_stopped: 1 });
  });

  it("sends a report without a participating platform to the carrier's agent queue", async () => {
    const created = await report({ platformId: undefined, companyName: "某某资产管理公司", text: "刘伟先生您好，您在某某平台的借款已逾期90天，请今天下午5点前还款", sender: "17100001111" });
    if (!created.ok) throw new Error("not created");
    const r = await row(created.reportId);
    expect(r).toMatchObject({ status: "agent_review", reason: "no_platform", carrierId });
    // The company (or person) the owner named is encrypted like the text.
    expect(r.companyEnc).not.toContain("某某");
    expect((await ownerReport(t.db, { ownerId, tenureId }, created.reportId))?.companyName).toBe("某某资产管理公司");
    const cases = await t.db.select().from(agentCases).where(eq(agentCases.reportId, created.reportId));
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: "report_review", status: "open", carrierId, ownerId });
    expect(await t.db.select().from(outbox).where(eq(outbox.messageId, created.reportId))).toHaveLength(0);
  });

  it("hands a disputed report to an agent, and a platform that is gone disables it and opens a case", async () => {
    partner.setKnobs("quick-loan", { report: { statuses: ["disputed"], delayMs: 10, note: "该号码登记为借款人本人" } });
    const disputed = await report({ platformId: idOf.get("quick-loan"), text: "【速借】您的借款今日到期，请及时还款，逾期将影响征信。" });
    if (!disputed.ok) throw new Error("not created");
    await dispatchOnce(deps);
    await waitFor(async () => (await row(disputed.reportId)).status === "agent_review");
    expect(await row(disputed.reportId)).toMatchObject({ reason: "disputed", note: "该号码登记为借款人本人" });
    expect(await t.db.select().from(agentCases).where(and(eq(agentCases.reportId, disputed.reportId), eq(agentCases.status, "open")))).toHaveLength(1);

    partner.setKnobs("fresh-bites", { gone: true });
    const gone = await report({ platformId: idOf.get("fresh-bites"), channel: "call", text: "外卖骑手打电话说刘先生的外卖到楼下了", sender: undefined });
    if (!gone.ok) throw new Error("not created");
    expect(await dispatchOnce(deps)).toMatchObject({ failed: 1 });
    expect(await row(gone.reportId)).toMatchObject({ status: "agent_review", reason: "delivery_failed" });
    const [platform] = await t.db.select({ status: platforms.status }).from(platforms).where(eq(platforms.id, idOf.get("fresh-bites")!));
    expect(platform!.status).toBe("disabled");
    await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, idOf.get("fresh-bites")!));
  });

  it("retries a platform that is down, with the unbind schedule, and forwards once it is back", async () => {
    partner.setKnobs("easy-credit", { errorRate: 1 });
    const created = await report({ text: "【易贷花】尊敬的客户，您的账单已逾期3天，请尽快处理" });
    if (!created.ok) throw new Error("not created");
    expect(await dispatchOnce(deps)).toMatchObject({ retrying: 1 });
    expect((await row(created.reportId)).status).toBe("received");
    partner.setKnobs("easy-credit", { report: { statuses: [] } });
    clock.advance(10_000);
    expect(await dispatchOnce(deps)).toMatchObject({ delivered: 1 });
    expect((await row(created.reportId)).status).toBe("forwarded");
    expect(partner.stats().reports[created.reportId]!.deliveries).toBe(2);
  });

  it("merges the same message reported again while the first report is open", async () => {
    const first = await report({}, [{ bytes: PNG, mime: "image/png" }]);
    // The same words with other spacing and full-width characters, and a second screenshot.
    const again = await report({ text: `  ${DEBT_SMS.replace("3,280.50", "３,２８０.５０").replace("，", "，\n")}\n` }, [{ bytes: PNG, mime: "image/png" }]);
    expect(first.ok && again.ok && again.merged && again.reportId === first.reportId).toBe(true);
    if (!first.ok) return;
    expect((await row(first.reportId)).duplicates).toBe(1);
    expect(await t.db.select().from(reportEvidence).where(eq(reportEvidence.reportId, first.reportId))).toHaveLength(2);
    expect(await t.db.select().from(outbox).where(eq(outbox.messageId, first.reportId))).toHaveLength(1);
    // Once the first is closed, the message reported again is a new report.
    expect(await closeReport(t.db, { ownerId, tenureId }, first.reportId, clock.now())).toBe(true);
    const later = await report();
    expect(later.ok && !later.merged && later.reportId !== first.reportId).toBe(true);
  });

  it(`takes at most ${DAILY_REPORT_LIMIT} new reports per owner in 24 hours`, async () => {
    for (let i = 0; i < DAILY_REPORT_LIMIT; i++) {
      expect(await report({ text: `【营销】第${i}条：会员日全场5折，回T退订`, platformId: undefined })).toMatchObject({ ok: true });
    }
    expect(await report({ text: "one too many", platformId: undefined })).toEqual({ ok: false, error: "daily_limit" });
    // A repeat of an open report is merged, not refused.
    expect(await report({ text: "【营销】第3条：会员日全场5折，回T退订", platformId: undefined })).toMatchObject({ ok: true, merged: true });
    // Another owner is not affected.
    expect(
      await createReport(t.db, store, { ownerId: otherOwnerId, number: "+8618620001234", report: input({ platformId: undefined }), evidence: [], now: clock.now() }),
    ).toMatchObject({ ok: true });
    clock.advance(24 * 3600_000 + 1000);
    expect(await report({ text: "next day", platformId: undefined })).toMatchObject({ ok: true });
  });

  it("refuses a disabled platform and a number without a tenure", async () => {
    await t.db.update(platforms).set({ status: "disabled" }).where(eq(platforms.id, idOf.get("coin-pay")!));
    expect(await report({ platformId: idOf.get("coin-pay") })).toEqual({ ok: false, error: "unknown_platform" });
    await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, idOf.get("coin-pay")!));
    const [stranger] = await t.db.insert(owners).values({ number: "+8613700000001", termsVersion: "test", termsAcceptedAt: clock.now() }).returning({ id: owners.id });
    expect(await createReport(t.db, store, { ownerId: stranger!.id, number: "+8613700000001", report: input(), evidence: [], now: clock.now() })).toEqual({
      ok: false,
      error: "no_tenure",
    });
  });

  it("checks every callback: signature of the right platform, known report, idempotent, never backwards", async () => {
    partner.setKnobs("easy-credit", { report: { statuses: [] } });
    const created = await report({ text: "【易贷花】刘某某，您的欠款已转交法务部门处理" });
    if (!created.ok) throw new Error("not created");
    await dispatchOnce(deps);
    const send = (body: object, secret = sandboxSigningSecret("easy-credit"), id = `msg_${crypto.randomUUID()}`) => {
      const text = JSON.stringify(body);
      return handleReportResult(t.db, { headers: signatureHeaders(secret, text, { id }), body: text, now: clock.now() });
    };
    expect((await send({ reportId: crypto.randomUUID(), status: "acknowledged" })).status).toBe(404);
    expect((await send({ reportId: created.reportId, status: "stopped" })).status).toBe(400);
    // Signed by another platform: only the one the report went to may answer it; to others it does not exist.
    expect((await send({ reportId: created.reportId, status: "contact_stopped" }, sandboxSigningSecret("quick-loan"))).status).toBe(404);
    expect((await row(created.reportId)).status).toBe("forwarded");

    // A NUL in the platform's note is removed, not a callback that fails for ever.
    expect((await send({ reportId: created.reportId, status: "contact_stopped", note: "stopped\u0000 now" }, undefined, "msg_once")).body).toEqual({ ok: true });
    expect((await send({ reportId: created.reportId, status: "contact_stopped", note: "stopped\u0000 now" }, undefined, "msg_once")).body).toEqual({ ok: true, duplicate: true });
    // A late acknowledgement does not reopen a resolved report.
    expect((await send({ reportId: created.reportId, status: "acknowledged" })).body).toEqual({ ok: true, ignored: "not_forward" });
    expect((await row(created.reportId)).status).toBe("resolved");
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectId, created.reportId), eq(auditLog.action, "report.result")));
    expect(audit).toHaveLength(1);
  });

  it("does not send a report the owner closed before it went out", async () => {
    const created = await report({ text: "【易贷花】最后通知：请刘某某今日还款" });
    if (!created.ok) throw new Error("not created");
    await closeReport(t.db, { ownerId, tenureId }, created.reportId, clock.now());
    await dispatchOnce(deps);
    expect(partner.stats().reports[created.reportId]).toBeUndefined();
    expect((await t.db.select().from(outbox).where(eq(outbox.messageId, created.reportId)))[0]).toMatchObject({ status: "dead", lastError: "report_closed" });
  });

  it("shows a report only to its owner in their tenure, and its files to the assigned agent (audited)", async () => {
    const created = await report({ platformId: undefined, text: "街道办通知：刘某某请于本周五前到社区办理居住证续签" }, [{ bytes: PNG, mime: "image/png" }]);
    if (!created.ok) throw new Error("not created");
    const [file] = await t.db.select().from(reportEvidence).where(eq(reportEvidence.reportId, created.reportId));
    const target = { reportId: created.reportId, evidenceId: file!.id };
    expect(await ownerReport(t.db, { ownerId: otherOwnerId, tenureId }, created.reportId)).toBeNull();
    expect(await readEvidence(t.db, store, { kind: "owner", ownerId: otherOwnerId, tenureId }, target)).toBeNull();
    // The number's next holder (same owner row, new tenure) sees none of it.
    const [laterTenure] = await t.db
      .insert(numberTenures)
      .values({ number: "+8613999999999", carrierId, startedAt: clock.now(), source: "self_declared" })
      .returning({ id: numberTenures.id });
    expect(await ownerReport(t.db, { ownerId, tenureId: laterTenure!.id }, created.reportId)).toBeNull();
    expect(await ownerReports(t.db, { ownerId, tenureId: laterTenure!.id })).toEqual([]);

    const [otherCarrier] = await t.db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, "cucc"));
    const staff = await t.db
      .insert(staffUsers)
      .values([
        { email: "a1@test", displayName: "A1", role: "agent", carrierId, passwordHash: "x" },
        { email: "a2@test", displayName: "A2", role: "agent", carrierId: otherCarrier!.id, passwordHash: "x" },
        { email: "r1@test", displayName: "R1", role: "regulator", passwordHash: "x" },
      ])
      .returning({ id: staffUsers.id });
    const [agent, foreignAgent, regulator] = staff.map((s) => s.id);
    // In the queue but not assigned: no access.
    expect(await readEvidence(t.db, store, { kind: "staff", staffId: agent! }, target)).toBeNull();
    expect(await agentReport(t.db, agent!, created.reportId)).toBeNull();
    await t.db.update(agentCases).set({ assignedTo: agent! }).where(eq(agentCases.reportId, created.reportId));
    expect(await readEvidence(t.db, store, { kind: "staff", staffId: agent! }, target)).not.toBeNull();
    const reads = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "report.evidence_read"), eq(auditLog.actorId, agent!)));
    expect(reads).toHaveLength(1);
    // The assigned agent reads the text as the owner wrote it (audited); a queue preview is redacted.
    expect((await agentReport(t.db, agent!, created.reportId))?.text).toBe("街道办通知：刘某某请于本周五前到社区办理居住证续签");
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, "report.read"), eq(auditLog.actorId, agent!)))).toHaveLength(1);
    expect(reportPreview(await row(created.reportId))).toBe("街道办通知：刘**请于本周五前到社区办理居住证续签");
    // Assigned by mistake across carriers, or to a regulator: still no access.
    for (const staffId of [foreignAgent!, regulator!]) {
      await t.db.update(agentCases).set({ assignedTo: staffId }).where(eq(agentCases.reportId, created.reportId));
      expect(await readEvidence(t.db, store, { kind: "staff", staffId }, target)).toBeNull();
      expect(await agentReport(t.db, staffId, created.reportId)).toBeNull();
    }
  });

  it("keeps the platform's note, and hands a report the platform went quiet on to an agent after two weeks", async () => {
    partner.setKnobs("easy-credit", { report: { statuses: ["acknowledged"], delayMs: 10, note: "已转交催收合作方处理" } });
    const created = await report({ text: "【易贷花】刘某某您好，您的账户已逾期，请尽快处理" });
    if (!created.ok) throw new Error("not created");
    await dispatchOnce(deps);
    await waitFor(async () => (await row(created.reportId)).status === "acknowledged");
    expect(await sendSilentReportsToAgents(t.db, clock.now())).toBe(0);
    clock.advance(REPORT_SILENCE_MS + 60_000);
    expect(await sendSilentReportsToAgents(t.db, clock.now())).toBe(1);
    expect(await row(created.reportId)).toMatchObject({ status: "agent_review", reason: "no_answer", note: "已转交催收合作方处理" });
    expect(await t.db.select().from(agentCases).where(and(eq(agentCases.reportId, created.reportId), eq(agentCases.status, "open")))).toHaveLength(1);
    expect(await sendSilentReportsToAgents(t.db, clock.now())).toBe(0);
  });

  it("keeps the number's next holder apart: no merge into, and no limit from, the previous holder's reports", async () => {
    const text = "【营销】会员日全场5折，回T退订";
    const before = await report({ text, platformId: undefined });
    if (!before.ok) throw new Error("not created");
    // The previous holder used up today's reports.
    for (let i = 1; i < DAILY_REPORT_LIMIT; i++) await report({ text: `第${i}条`, platformId: undefined });
    expect(await report({ text: "one more", platformId: undefined })).toEqual({ ok: false, error: "daily_limit" });
    // The number is recycled: the same owner row (it follows the number), a new tenure.
    await t.db.update(numberTenures).set({ endedAt: clock.now() }).where(eq(numberTenures.id, tenureId));
    clock.advance(60_000);
    const [next] = await t.db
      .insert(numberTenures)
      .values({ number: DEMO_OWNER_NUMBER, carrierId, startedAt: clock.now(), source: "carrier_record" })
      .returning({ id: numberTenures.id });
    const after = await report({ text, platformId: undefined }, [{ bytes: PNG, mime: "image/png" }]);
    expect(after).toMatchObject({ ok: true, merged: false });
    if (!after.ok) return;
    expect(after.reportId).not.toBe(before.reportId);
    expect((await row(after.reportId)).tenureId).toBe(next!.id);
    expect((await row(before.reportId)).duplicates).toBe(0);
    expect(await t.db.select().from(reportEvidence).where(eq(reportEvidence.reportId, before.reportId))).toHaveLength(0);
    expect((await ownerReports(t.db, { ownerId, tenureId: next!.id })).map((r) => r.id)).toEqual([after.reportId]);
  });

  /** The demo owner as they are now: an earlier test moves the number to a new tenure. */
  const currentScope = async () => {
    const [open] = await t.db.select({ id: numberTenures.id }).from(numberTenures).where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    return { ownerId, tenureId: open!.id };
  };

  it("forwards the text and sender byte for byte as the form's preview shows them", async () => {
    partner.setKnobs("easy-credit", { report: { statuses: [] } });
    // As typed: padding, a Windows line break, a stray control character, full-width digits, a name, a phone number.
    const typed = { text: "  【易贷花】尊敬的刘伟先生：\r\n您的借款已逾期，欠款１２,３００元\u0007，请联系 138 1234 5678 或 021-62345678。\n", sender: " 13912345678 " };
    const preview = forwardedCopy(typed);
    // What the action stores: each field cleaned and trimmed (lib/actions.ts, the schema's .trim()).
    const created = await report({ text: submittedField(typed.text), sender: submittedField(typed.sender) });
    if (!created.ok) throw new Error("not created");
    await dispatchOnce(deps);
    const sent = partner.stats().reports[created.reportId]! as { text: string; sender?: string };
    expect(sent.text).toBe(preview.text);
    expect(sent.sender).toBe(preview.sender);
    expect(preview.text).not.toMatch(/刘伟|12,300|１２,３００|1234 5678|62345678/);
  });

  it("tells who sent it apart from who handles it: a disputed report is with the carrier from then on", async () => {
    partner.setKnobs("quick-loan", { report: { statuses: ["disputed"], delayMs: 10 } });
    const forwarded = await report({ text: "【易贷花】刘某某，账单已出" });
    const disputed = await report({ platformId: idOf.get("quick-loan"), text: "【速借】刘某某您的借款今日到期" });
    if (!forwarded.ok || !disputed.ok) throw new Error("not created");
    await dispatchOnce(deps);
    await waitFor(async () => (await row(disputed.reportId)).status === "agent_review");
    // The owner closes it: the status moves on, the handler does not change back to the platform.
    const scope = await currentScope();
    await closeReport(t.db, scope, disputed.reportId, clock.now());
    const list = await ownerReports(t.db, scope);
    expect(list.find((r) => r.id === forwarded.reportId)).toMatchObject({ handedToAgents: false, sender: "10690003001", platformId: idOf.get("easy-credit") });
    expect(list.find((r) => r.id === disputed.reportId)).toMatchObject({ handedToAgents: true, status: "closed", platformId: idOf.get("quick-loan") });
    expect((await ownerReport(t.db, scope, disputed.reportId))?.handedToAgents).toBe(true);
  });

  it("files 'it happened again' as a new report linked to a resolved or closed one, prefilled from it", async () => {
    partner.setKnobs("easy-credit", { report: { statuses: ["contact_stopped"], delayMs: 10 } });
    const original = await report({ text: "【易贷花】刘某某，您的欠款已逾期" });
    if (!original.ok) throw new Error("not created");
    const scope = await currentScope();
    // Still open: not a repeat (the same message again is merged instead).
    expect(await repeatDraft(t.db, scope, original.reportId)).toBeNull();
    expect(await report({ text: "【易贷花】又来了", repeatOf: original.reportId })).toEqual({ ok: false, error: "not_repeatable" });
    await dispatchOnce(deps);
    await waitFor(async () => (await row(original.reportId)).status === "resolved");

    const draft = await repeatDraft(t.db, scope, original.reportId);
    expect(draft).toMatchObject({ original: { id: original.reportId, category: "debt_collection" }, channel: "sms", category: "debt_collection", platformId: idOf.get("easy-credit"), sender: "10690003001", companyName: null });
    // Another owner's report, or the same owner in a later tenure, is not theirs to repeat.
    expect(await repeatDraft(t.db, { ownerId: otherOwnerId, tenureId: scope.tenureId }, original.reportId)).toBeNull();
    expect(await repeatDraft(t.db, { ownerId, tenureId }, original.reportId)).toBeNull();
    expect(
      await createReport(t.db, store, { ownerId: otherOwnerId, number: "+8618620001234", report: input({ repeatOf: original.reportId }), evidence: [], now: clock.now() }),
    ).toEqual({ ok: false, error: "not_repeatable" });

    // The same words again: a new incident with its own date and report id, sent to the platform anew.
    clock.advance(3 * 86_400_000);
    const again = await report({ text: "【易贷花】刘某某，您的欠款已逾期", repeatOf: original.reportId, receivedAt: clock.now() });
    expect(again).toMatchObject({ ok: true, merged: false });
    if (!again.ok) return;
    expect((await row(again.reportId)).repeatOf).toBe(original.reportId);
    expect(await t.db.select().from(outbox).where(eq(outbox.messageId, again.reportId))).toHaveLength(1);
    expect((await row(original.reportId)).status).toBe("resolved");
    // The platform is told it is a repeat (so it can see its "contact stopped" did not hold); a first report says nothing of the kind.
    await dispatchOnce(deps);
    await waitFor(async () => partner.stats().reports[again.reportId] !== undefined);
    expect(partner.stats().reports[again.reportId]).toMatchObject({ repeatOf: original.reportId });
    expect(partner.stats().reports[original.reportId]).not.toHaveProperty("repeatOf");
    // The link shows on both.
    const [first, second] = await Promise.all([ownerReport(t.db, scope, original.reportId), ownerReport(t.db, scope, again.reportId)]);
    expect(first?.repeats.map((r) => r.id)).toEqual([again.reportId]);
    expect(first?.original).toBeNull();
    expect(second?.original).toMatchObject({ id: original.reportId, category: "debt_collection" });
    expect((await ownerReports(t.db, scope)).find((r) => r.id === again.reportId)?.repeatOf).toBe(original.reportId);
  });
});
