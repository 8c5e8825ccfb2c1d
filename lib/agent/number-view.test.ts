import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, lookups, numberTenures, reports, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import type { DispatchDeps } from "@/lib/outbox/dispatch";
import { ownerWithHistory } from "@/lib/owners/testing";
import { generateSigningJwk, loadSigningKeys, publicJwks } from "@/lib/platforms/keys";
import { startCallbackReceiver } from "@/lib/platforms/testing";
import { sealField } from "@/lib/reports/sealed";
import { memoryEvidenceStore } from "@/lib/reports/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { numberOfTenure, numberView, openNumberView, revealTenureNumber, searchNumber } from "./number-view";

const CUCC_NUMBER = "+8618620001234";
const SERVED = ["CN"] as const;

describe("agent number search and number page", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  let cmcc: string;
  let cucc: string;
  let history: Awaited<ReturnType<typeof ownerWithHistory>>;
  let foreignTenureId: string;
  let foreignReportId: string;
  let foreignCaseId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const ids = Object.fromEntries((await t.db.select({ id: carriers.id, code: carriers.code }).from(carriers)).map((c) => [c.code, c.id]));
    cmcc = ids.cmcc!;
    cucc = ids.cucc!;
    const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver(async () => ({ status: 200, body: { ok: true } }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    partner.setKnobs("*", { unbind: { callbacks: 0 }, report: { statuses: [] } });
    const deps: DispatchDeps = { db: t.db, clock, policy: { allowLoopback: true, requireHttps: false }, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, random: () => 0.5 };
    const [agent] = await t.db.insert(staffUsers).values({ email: "agent@test", displayName: "A", role: "agent", carrierId: cmcc, passwordHash: "x" }).returning({ id: staffUsers.id });
    history = await ownerWithHistory(t.db, memoryEvidenceStore(), { number: DEMO_OWNER_NUMBER, clock, deps, staffId: agent!.id, text: "【易贷花】您的借款已逾期", reportTo: "easy-credit" });

    // Long ago the same number was China Unicom's: its tenure, a look-up, a report and a case are that carrier's, never China Mobile's.
    const [foreign] = await t.db
      .insert(numberTenures)
      .values({ number: DEMO_OWNER_NUMBER, carrierId: cucc, startedAt: new Date("2010-01-01T00:00:00Z"), endedAt: new Date("2015-01-01T00:00:00Z"), source: "carrier_record" })
      .returning({ id: numberTenures.id });
    foreignTenureId = foreign!.id;
    await t.db.insert(lookups).values({ ownerId: history.ownerId, tenureId: foreignTenureId, tenureStart: new Date("2010-01-01T00:00:00Z"), startedAt: new Date("2014-01-01T00:00:00Z") });
    foreignReportId = crypto.randomUUID();
    const at = new Date("2014-01-02T00:00:00Z");
    await t.db.insert(reports).values({
      id: foreignReportId,
      ownerId: history.ownerId,
      tenureId: foreignTenureId,
      carrierId: cucc,
      channel: "sms",
      category: "other",
      suggestedCategory: "other",
      textEnc: sealField(foreignReportId, "text", "another carrier's report")!,
      receivedAt: at,
      dedupeKey: "foreign",
      createdAt: at,
      updatedAt: at,
      closedAt: at,
      status: "closed",
    });
    const [foreignCase] = await t.db.insert(agentCases).values({ kind: "no_answer", carrierId: cucc, ownerId: history.ownerId, createdAt: at, firstResponseDueAt: at, resolutionDueAt: at, nextDueAt: at }).returning({ id: agentCases.id });
    foreignCaseId = foreignCase!.id;
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });

  it("reads the number in national and E.164 forms, with spaces, dashes, 0086 and full-width digits", async () => {
    const inputs = ["138 0013 8000", "13800138000", "+86 138-0013-8000", "+8613800138000", "008613800138000", "１３８００１３８０００"];
    const found = await Promise.all(inputs.map((q) => searchNumber(t.db, q, cmcc, SERVED)));
    const [current] = await t.db.select({ id: numberTenures.id }).from(numberTenures).where(eq(numberTenures.id, history.tenureId));
    // The newest of the carrier's tenures of the number: the current holder's.
    for (const result of found) expect(result).toEqual({ ok: true, e164: DEMO_OWNER_NUMBER, tenureId: current!.id });
  });

  it("refuses what is not a served mobile number, with a reason", async () => {
    expect(await searchNumber(t.db, "hello", cmcc, SERVED)).toEqual({ ok: false, error: "invalid_number" });
    expect(await searchNumber(t.db, "138", cmcc, SERVED)).toEqual({ ok: false, error: "invalid_number" });
    expect(await searchNumber(t.db, "010 6552 9988", cmcc, SERVED)).toEqual({ ok: false, error: "not_mobile" });
    expect(await searchNumber(t.db, "+852 5123 4567", cmcc, SERVED)).toEqual({ ok: false, error: "country_not_served" });
  });

  it("finds only the agent's own carrier's numbers: another carrier's is not found", async () => {
    expect(await searchNumber(t.db, "186 2000 1234", cmcc, SERVED)).toEqual({ ok: false, error: "not_found" });
    expect(await searchNumber(t.db, "186 2000 1234", cucc, SERVED)).toMatchObject({ ok: true, e164: CUCC_NUMBER });
    // A staff member with no carrier (admin) is not scoped.
    expect(await searchNumber(t.db, "186 2000 1234", null, SERVED)).toMatchObject({ ok: true, e164: CUCC_NUMBER });
    // The demo number's China Unicom tenure is found by China Unicom, as that tenure.
    expect(await searchNumber(t.db, "13800138000", cucc, SERVED)).toEqual({ ok: true, e164: DEMO_OWNER_NUMBER, tenureId: foreignTenureId });
  });

  it("shows the carrier's tenures and what the owners did in them, and nothing of another carrier", async () => {
    const view = (await numberView(t.db, history.tenureId, cmcc))!;
    expect(view.number).toBe(DEMO_OWNER_NUMBER);
    expect(view.tenures.map((x) => x.carrierId)).toEqual([cmcc, cmcc]);
    expect(view.tenures.map((x) => x.id)).not.toContain(foreignTenureId);
    expect(view.tenures[0]!.id).toBe(history.tenureId);

    expect(view.lookups.map((l) => l.id)).toEqual([history.lookupId]);
    expect(view.lookups[0]!.answers.length).toBeGreaterThan(0);
    expect(view.lookups[0]!.answers.every((a) => a.platform.id && a.status)).toBe(true);

    expect(view.batches.map((b) => b.id)).toEqual([history.batchId]);
    expect(view.batches[0]!.items.map((i) => i.platform.id).sort()).toEqual([...history.unbound].sort());
    // Delivered once through the outbox.
    expect(view.batches[0]!.items.every((i) => i.attempts === 1)).toBe(true);

    expect(view.reports.map((r) => r.id).sort()).toEqual([...history.reportIds].sort());
    expect(view.reports.map((r) => r.id)).not.toContain(foreignReportId);
    // Category and status only: the text is not read in this view.
    expect(Object.keys(view.reports[0]!).sort()).toEqual(["category", "channel", "closedAt", "createdAt", "id", "status", "updatedAt"]);

    expect(view.cases.map((c) => c.id)).toContain(history.caseId);
    expect(view.cases.map((c) => c.id)).not.toContain(foreignCaseId);
  });

  it("does not open another carrier's tenure, an unknown id or a malformed one", async () => {
    expect(await numberView(t.db, foreignTenureId, cmcc)).toBeNull();
    expect(await numberOfTenure(t.db, foreignTenureId, cmcc)).toBeNull();
    expect(await numberView(t.db, crypto.randomUUID(), cmcc)).toBeNull();
    expect(await numberView(t.db, "not-a-uuid", cmcc)).toBeNull();
    expect(await numberView(t.db, "+8613800138000", null)).toBeNull();

    // China Unicom sees its own tenure of the number and nothing from China Mobile's.
    const theirs = (await numberView(t.db, foreignTenureId, cucc))!;
    expect(theirs.tenures.map((x) => x.id)).toEqual([foreignTenureId]);
    expect(theirs.reports.map((r) => r.id)).toEqual([foreignReportId]);
    expect(theirs.batches).toEqual([]);
    expect(theirs.cases.map((c) => c.id)).toEqual([foreignCaseId]);
    expect(theirs.lookups).toHaveLength(1);
  });

  it("lets an unscoped admin see every carrier's tenures of the number", async () => {
    const view = (await numberView(t.db, history.tenureId, null))!;
    expect(view.tenures.map((x) => x.carrierId).sort()).toEqual([cmcc, cmcc, cucc].sort());
  });
  it("audits opening the page and revealing the number, by tenure id and without the number; a foreign id writes nothing", async () => {
    const staffId = crypto.randomUUID();
    const rows = () => t.db.select().from(auditLog).where(eq(auditLog.actorId, staffId)).orderBy(auditLog.id);
    expect(await openNumberView(t.db, foreignTenureId, { staffId, scope: cmcc })).toBeNull();
    expect(await revealTenureNumber(t.db, foreignTenureId, { staffId, scope: cmcc })).toBeNull();
    expect(await revealTenureNumber(t.db, "not-a-uuid", { staffId, scope: cmcc })).toBeNull();
    expect(await rows()).toEqual([]);

    expect((await openNumberView(t.db, history.tenureId, { staffId, scope: cmcc }))?.number).toBe(DEMO_OWNER_NUMBER);
    expect(await revealTenureNumber(t.db, history.tenureId, { staffId, scope: cmcc })).toBe(DEMO_OWNER_NUMBER);
    const written = await rows();
    expect(written.map((r) => [r.actorType, r.action, r.subjectType, r.subjectId])).toEqual([
      ["staff", "number.viewed", "number_tenure", history.tenureId],
      ["staff", "number.revealed", "number_tenure", history.tenureId],
    ]);
    expect(JSON.stringify(written)).not.toContain("13800138000");
  });
});
