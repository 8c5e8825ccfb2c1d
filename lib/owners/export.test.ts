import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookups, numberTenures, owners, reports, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import type { DispatchDeps } from "@/lib/outbox/dispatch";
import { generateSigningJwk, loadSigningKeys, publicJwks } from "@/lib/platforms/keys";
import { startCallbackReceiver } from "@/lib/platforms/testing";
import { sealField } from "@/lib/reports/sealed";
import { memoryEvidenceStore } from "@/lib/reports/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { caseDetail, evidenceHref, exportFileName, ownerExport } from "./export";
import { ownerWithHistory } from "./testing";

const OTHER_NUMBER = "+8618620001234";
const MY_TEXT = "【易贷花】刘某某 您的借款已逾期，请尽快还款";
const THEIR_TEXT = "【快贷】王某 逾期通知，另一位号主的短信";
const PREVIOUS_TEXT = "前机主时期的举报：不应出现在导出里";

describe("my data: everything about the signed-in owner, and nothing about anyone else", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const store = memoryEvidenceStore();
  let mine: Awaited<ReturnType<typeof ownerWithHistory>>;
  let theirs: Awaited<ReturnType<typeof ownerWithHistory>>;
  let previousReportId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver(async () => ({ status: 200, body: { ok: true } }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    // No callbacks: the test reads the state right after delivery.
    partner.setKnobs("*", { unbind: { callbacks: 0 }, report: { statuses: [] } });
    const deps: DispatchDeps = { db: t.db, clock, policy: { allowLoopback: true, requireHttps: false }, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, random: () => 0.5 };
    const [carrier] = await t.db.select({ id: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.number, DEMO_OWNER_NUMBER));
    const [agent] = await t.db.insert(staffUsers).values({ email: "agent@test", displayName: "A", role: "agent", carrierId: carrier!.id, passwordHash: "x" }).returning({ id: staffUsers.id });
    mine = await ownerWithHistory(t.db, store, { number: DEMO_OWNER_NUMBER, clock, deps, staffId: agent!.id, text: MY_TEXT, reportTo: "easy-credit" });
    theirs = await ownerWithHistory(t.db, store, { number: OTHER_NUMBER, clock, deps, staffId: agent!.id, text: THEIR_TEXT, reportTo: "linkup-chat" });

    // The number's previous holder (前机主) left a report and a look-up under the same owner row.
    const [ended] = await t.db.select({ id: numberTenures.id, startedAt: numberTenures.startedAt }).from(numberTenures).where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNotNull(numberTenures.endedAt)));
    await t.db.insert(lookups).values({ ownerId: mine.ownerId, tenureId: ended!.id, tenureStart: ended!.startedAt, startedAt: new Date("2025-01-01T00:00:00Z") });
    previousReportId = crypto.randomUUID();
    const at = new Date("2025-01-02T00:00:00Z");
    await t.db.insert(reports).values({
      id: previousReportId,
      ownerId: mine.ownerId,
      tenureId: ended!.id,
      channel: "sms",
      category: "other",
      suggestedCategory: "other",
      textEnc: sealField(previousReportId, "text", PREVIOUS_TEXT)!,
      receivedAt: at,
      dedupeKey: "previous",
      createdAt: at,
      updatedAt: at,
    });
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });

  const exportOf = (who: { ownerId: string }, number: string) =>
    ownerExport(t.db, { ownerId: who.ownerId, number, now: clock.now(), label: (p) => (p.disclosure === "category" ? `category:${p.category}` : p.nameEn), names: new Map() });

  it("holds the number, the tenure, consents, look-ups, unbind requests, reports with texts and files, cases with replies, sessions", async () => {
    const data = (await exportOf(mine, DEMO_OWNER_NUMBER))!;
    expect(data.format).toBe("reclaim-owner-data/1");
    expect(data.owner).toMatchObject({ number: DEMO_OWNER_NUMBER, termsVersion: "test" });
    expect(data.sessions).toMatchObject({ lastSignInAt: clock.now().toISOString(), lastVerifiedAt: clock.now().toISOString(), signedOutEverywhere: 0 });
    expect(data.tenure).toEqual({ startedAt: "2026-03-15T02:30:00.000Z", source: "carrier_record", carrier: "cmcc", simChangedAt: null });
    expect(data.consents).toHaveLength(1);
    expect(data.consents[0]!.platforms.length).toBeGreaterThan(5);

    // The current tenure's look-up only, answered by the reference partner for each platform.
    expect(data.lookups.map((l) => l.id)).toEqual([mine.lookupId]);
    const answers = Object.fromEntries(data.lookups[0]!.results.map((r) => [r.platform, r.status]));
    expect(answers["Linkup Chat (sandbox)"]).toBe("bound_before_tenure");
    expect(answers["Fresh Bites (sandbox)"]).toBe("bound_since_tenure");
    // A category-only platform is labelled as the owner's pages label it.
    expect(Object.keys(answers).some((k) => k.startsWith("category:"))).toBe(true);

    expect(data.unbindRequests).toHaveLength(1);
    const items = data.unbindRequests[0]!.items;
    expect(items).toHaveLength(mine.unbound.length);
    for (const item of items) {
      expect(item.status).toBe("accepted");
      expect(item.events.map((e) => e.status)).toEqual(["queued", "sent", "accepted"]);
    }

    expect(data.reports.map((r) => r.id).sort()).toEqual([...mine.reportIds].sort());
    const forwarded = data.reports.find((r) => r.id === mine.reportIds[0])!;
    expect(forwarded).toMatchObject({ text: MY_TEXT, sender: "10690003001", channel: "sms", status: "forwarded" });
    expect(forwarded.files).toHaveLength(1);
    expect(forwarded.files[0]).toMatchObject({ mime: "image/png", href: evidenceHref(forwarded.id, forwarded.files[0]!.id) });
    const toAgents = data.reports.find((r) => r.id === mine.reportIds[1])!;
    expect(toAgents).toMatchObject({ text: `${MY_TEXT} (call)`, company: "某某资产管理公司", status: "agent_review" });

    const agentCase = data.cases.find((c) => c.id === mine.caseId)!;
    expect(agentCase).toMatchObject({ kind: "report_review", reportId: mine.reportIds[1], status: "open" });
    expect(agentCase.replies).toEqual([{ at: clock.now().toISOString(), text: "已联系该公司停止拨打" }]);
  });

  it("holds nothing of another owner's, nor of the number's previous holder", async () => {
    const text = JSON.stringify(await exportOf(mine, DEMO_OWNER_NUMBER));
    for (const foreign of [OTHER_NUMBER, THEIR_TEXT, theirs.ownerId, theirs.lookupId, theirs.caseId, ...theirs.reportIds, PREVIOUS_TEXT, previousReportId]) {
      expect(text).not.toContain(foreign);
    }
    const other = JSON.stringify(await exportOf(theirs, OTHER_NUMBER));
    expect(other).toContain(THEIR_TEXT);
    for (const foreign of [DEMO_OWNER_NUMBER, MY_TEXT, mine.ownerId, ...mine.reportIds]) expect(other).not.toContain(foreign);
  });

  it("is null for an owner id that does not go with the number (a forged or stale session)", async () => {
    expect(await exportOf(mine, OTHER_NUMBER)).toBeNull();
    expect(await exportOf({ ownerId: crypto.randomUUID() }, DEMO_OWNER_NUMBER)).toBeNull();
  });

  it("shows an owner without a tenure on record their account and sessions only", async () => {
    const [bare] = await t.db.insert(owners).values({ number: "+8613700000001", termsVersion: "test", termsAcceptedAt: clock.now() }).returning({ id: owners.id });
    const data = (await exportOf({ ownerId: bare!.id }, "+8613700000001"))!;
    expect(data).toMatchObject({ tenure: null, consents: [], lookups: [], unbindRequests: [], reports: [], cases: [] });
  });

  it("reads a case's detail as its reason and the agents' replies, without staff ids", () => {
    const detail = "no_platform\n[2026-11-29T02:00:00.000Z] staff 0b7c2f3e-1111-4222-8333-944445555666: 已处理\n[2026-11-30T02:00:00.000Z] staff 0b7c2f3e-1111-4222-8333-944445555666: 再次联系";
    expect(caseDetail(detail)).toEqual({
      reason: "no_platform",
      replies: [
        { at: "2026-11-29T02:00:00.000Z", text: "已处理" },
        { at: "2026-11-30T02:00:00.000Z", text: "再次联系" },
      ],
    });
    expect(caseDetail(null)).toEqual({ reason: null, replies: [] });
  });

  it("names the download by day, never by number", () => {
    expect(exportFileName(new Date("2026-11-29T02:00:00Z"))).toBe("reclaim-my-data-2026-11-29.json");
  });
});
