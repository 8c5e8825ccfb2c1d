import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db";
import {
  agentCases,
  auditLog,
  consents,
  erasedTallies,
  erasures,
  lookups,
  numberTenures,
  otpChallenges,
  outbox,
  owners,
  platformEvents,
  platforms,
  reportEvidence,
  reports,
  staffUsers,
  unbindBatches,
  unbindItems,
} from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { signInOwner } from "@/lib/auth/owner";
import { sessionStillValid } from "@/lib/auth/sessions";
import { fakeClock } from "@/lib/clock";
import { dispatchOnce, type DispatchDeps } from "@/lib/outbox/dispatch";
import { generateSigningJwk, loadSigningKeys, publicJwks } from "@/lib/platforms/keys";
import { startCallbackReceiver } from "@/lib/platforms/testing";
import { memoryEvidenceStore } from "@/lib/reports/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { beijingMonth, eraseOwner } from "./erasure";
import { ownerWithHistory } from "./testing";

const OTHER_NUMBER = "+8618620001234";
const DECLARED_NUMBER = "+8613912345678";
const MY_TEXT = "【易贷花】刘某某 您的借款已逾期，请尽快还款";

describe("delete my data: removed or counted, platforms told once, signed out everywhere", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const store = memoryEvidenceStore();
  let deps: DispatchDeps;
  let agentId: string;
  let mine: Awaited<ReturnType<typeof ownerWithHistory>>;
  let theirs: Awaited<ReturnType<typeof ownerWithHistory>>;
  let slugOf: Map<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver(async () => ({ status: 200, body: { ok: true } }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    partner.setKnobs("*", { unbind: { callbacks: 0 }, report: { statuses: [] } });
    deps = { db: t.db, clock, policy: { allowLoopback: true, requireHttps: false }, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, random: () => 0.5 };
    const [carrier] = await t.db.select({ id: numberTenures.carrierId }).from(numberTenures).where(eq(numberTenures.number, DEMO_OWNER_NUMBER));
    const [agent] = await t.db.insert(staffUsers).values({ email: "agent@test", displayName: "A", role: "agent", carrierId: carrier!.id, passwordHash: "x" }).returning({ id: staffUsers.id });
    agentId = agent!.id;
    mine = await ownerWithHistory(t.db, store, { number: DEMO_OWNER_NUMBER, clock, deps, staffId: agentId, text: MY_TEXT, reportTo: "easy-credit" });
    theirs = await ownerWithHistory(t.db, store, { number: OTHER_NUMBER, clock, deps, staffId: agentId, text: "另一位号主的短信", reportTo: "linkup-chat" });
    slugOf = new Map((await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms)).map((p) => [p.id, p.slug]));
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });

  const count = async (table: typeof consents | typeof lookups | typeof unbindBatches | typeof reports, ownerId: string) =>
    (await t.db.select({ id: table.id }).from(table).where(eq(table.ownerId, ownerId))).length;

  it("removes the owner's rows, keeps counts, tells each platform that had the number once, and signs the owner out", async () => {
    // A code challenge of the number, and an unbind request still waiting to go out.
    await t.db.insert(otpChallenges).values({ number: DEMO_OWNER_NUMBER, purpose: "reverify", codeHash: "x", createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 300_000) });
    const [waitingItem] = await t.db.select({ id: unbindItems.id }).from(unbindItems).where(eq(unbindItems.batchId, mine.batchId!)).limit(1);
    await t.db.update(outbox).set({ status: "pending", nextAttemptAt: new Date(clock.now().getTime() + 3600_000) }).where(eq(outbox.messageId, waitingItem!.id));
    const files = (await t.db.select({ key: reportEvidence.storageKey }).from(reportEvidence).where(inArray(reportEvidence.reportId, mine.reportIds))).map((f) => f.key);
    expect(files).toHaveLength(1);
    expect(store.files.has(files[0]!)).toBe(true);
    const itemsBefore = await t.db.select({ id: unbindItems.id }).from(unbindItems).where(eq(unbindItems.batchId, mine.batchId!));

    clock.advance(60_000);
    const erased = await eraseOwner(t.db, store, { ownerId: mine.ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), secret: "test-secret" });
    expect(erased.ok).toBe(true);
    if (!erased.ok) return;
    expect(erased.counts).toMatchObject({ reports: 2, reportFiles: 1, unbindRequests: 1, unbindItems: itemsBefore.length, lookups: 1, consents: 1, codes: 1, declaredTenure: 0 });
    expect(erased.counts.cases).toBeGreaterThanOrEqual(1);

    // Gone: the owner (so every session), and everything tenure-bound; the screenshot file too.
    expect(await t.db.select().from(owners).where(eq(owners.id, mine.ownerId))).toEqual([]);
    expect(await sessionStillValid(t.db, { role: "owner", userId: mine.ownerId, sessionId: "s1", version: 0, now: clock.now() })).toBe(false);
    for (const table of [consents, lookups, unbindBatches, reports] as const) expect(await count(table, mine.ownerId)).toBe(0);
    expect(await t.db.select().from(unbindItems).where(inArray(unbindItems.id, itemsBefore.map((i) => i.id)))).toEqual([]);
    expect(await t.db.select().from(agentCases).where(eq(agentCases.id, mine.caseId))).toEqual([]);
    expect(await t.db.select().from(otpChallenges).where(eq(otpChallenges.number, DEMO_OWNER_NUMBER))).toEqual([]);
    expect(store.files.has(files[0]!)).toBe(false);
    // What was still waiting goes nowhere.
    expect((await t.db.select().from(outbox).where(eq(outbox.messageId, waitingItem!.id)))[0]).toMatchObject({ status: "dead", lastError: "owner_erased" });
    // Kept: the carrier's tenure record (it protects the next holder), and the other owner's data.
    expect(await t.db.select().from(numberTenures).where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)))).toHaveLength(1);
    expect(await count(reports, theirs.ownerId)).toBe(2);
    expect(await count(unbindBatches, theirs.ownerId)).toBe(1);

    // Counts for the regulator: the same totals, no text, no number, no owner.
    const tallies = await t.db.select().from(erasedTallies).where(eq(erasedTallies.erasureId, erased.erasureId));
    const total = (subject: string) => tallies.filter((r) => r.subject === subject).reduce((n, r) => n + r.n, 0);
    expect(total("report")).toBe(2);
    expect(total("unbind_item")).toBe(itemsBefore.length);
    expect(tallies.every((r) => r.month === beijingMonth(new Date("2026-11-29T02:00:00Z")))).toBe(true);
    expect(tallies.find((r) => r.subject === "report" && r.platformId)).toMatchObject({ category: "debt_collection", status: "forwarded" });
    const kept = JSON.stringify([tallies, await t.db.select().from(erasures), await t.db.select().from(auditLog).where(eq(auditLog.action, "owner.erased"))]);
    for (const secret of [DEMO_OWNER_NUMBER, "13800138000", MY_TEXT, "10690003001"]) expect(kept).not.toContain(secret);

    // One owner.erased per platform that had the number: every one the look-up asked.
    const events = await t.db.select().from(platformEvents).where(eq(platformEvents.erasureId, erased.erasureId));
    const asked = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${platforms} where ${platforms.status} = 'active'`);
    expect(events).toHaveLength(asked[0]!.n);
    expect(erased.counts.platformsNotified).toBe(events.length);
    expect(new Set(events.map((e) => e.platformId)).size).toBe(events.length);
    expect(events.every((e) => e.type === "owner.erased" && e.number === DEMO_OWNER_NUMBER)).toBe(true);
    const queued = await t.db.select().from(outbox).where(and(eq(outbox.kind, "platform_event"), inArray(outbox.messageId, events.map((e) => e.id))));
    expect(queued).toHaveLength(events.length);

    // The reference partner receives each once, signed, under the event's id; then the number goes.
    await dispatchOnce(deps);
    const received = partner.stats({ number: DEMO_OWNER_NUMBER }).events;
    expect(Object.keys(received).sort()).toEqual(events.map((e) => e.id).sort());
    for (const e of events) expect(received[e.id]).toEqual({ slug: slugOf.get(e.platformId), type: "owner.erased", at: clock.now().toISOString(), deliveries: 1 });
    const settled = await t.db.select().from(platformEvents).where(eq(platformEvents.erasureId, erased.erasureId));
    expect(settled.every((e) => e.number === null && e.settledAt !== null)).toBe(true);

    // Running it again does nothing; a stray redelivery of a settled event sends nothing either.
    expect(await eraseOwner(t.db, store, { ownerId: mine.ownerId, number: DEMO_OWNER_NUMBER, now: clock.now() })).toEqual({ ok: false, error: "not_found" });
    expect(await t.db.select().from(outbox).where(eq(outbox.kind, "platform_event"))).toHaveLength(events.length);
    await t.db.update(outbox).set({ status: "pending", nextAttemptAt: clock.now() }).where(eq(outbox.messageId, events[0]!.id));
    await dispatchOnce(deps);
    expect(partner.stats({ number: DEMO_OWNER_NUMBER }).events[events[0]!.id]!.deliveries).toBe(1);
    expect((await t.db.select().from(outbox).where(eq(outbox.messageId, events[0]!.id)))[0]).toMatchObject({ status: "dead", lastError: "event_settled" });

    // A later sign-in with the number starts a new owner, with nothing from before.
    const again = await signInOwner(t.db, { number: DEMO_OWNER_NUMBER, verifiedAt: clock.now(), termsVersion: "test" });
    expect(again.id).not.toBe(mine.ownerId);
    for (const table of [consents, lookups, unbindBatches, reports] as const) expect(await count(table, again.id)).toBe(0);
  });

  it("deletes a self-declared tenure, and tells no platform about a number none received", async () => {
    const [declared] = await t.db.insert(owners).values({ number: DECLARED_NUMBER, termsVersion: "test", termsAcceptedAt: clock.now() }).returning({ id: owners.id });
    const before = (await t.db.select().from(outbox)).length;
    const erased = await eraseOwner(t.db, store, { ownerId: declared!.id, number: DECLARED_NUMBER, now: clock.now() });
    expect(erased).toMatchObject({ ok: true, counts: { declaredTenure: 1, platformsNotified: 0, reports: 0 } });
    expect(await t.db.select().from(numberTenures).where(eq(numberTenures.number, DECLARED_NUMBER))).toEqual([]);
    expect((await t.db.select().from(outbox)).length).toBe(before);
    expect(await t.db.select().from(owners).where(eq(owners.id, declared!.id))).toEqual([]);
  });

  it("leaves a previous holder's rows alone: the owner row stays, emptied, and its sessions end", async () => {
    // The other owner's number changed hands: their rows now belong to a previous tenure.
    const [open] = await t.db.select().from(numberTenures).where(and(eq(numberTenures.number, OTHER_NUMBER), isNull(numberTenures.endedAt)));
    await t.db.update(numberTenures).set({ endedAt: new Date("2026-10-01T00:00:00Z") }).where(eq(numberTenures.id, open!.id));
    await t.db.insert(numberTenures).values({ number: OTHER_NUMBER, carrierId: open!.carrierId, startedAt: new Date("2026-11-01T00:00:00Z"), source: "carrier_record" });
    const [row] = await t.db.select().from(owners).where(eq(owners.id, theirs.ownerId));
    const erased = await eraseOwner(t.db, store, { ownerId: theirs.ownerId, number: OTHER_NUMBER, now: clock.now() });
    expect(erased).toMatchObject({ ok: true, counts: { reports: 0, unbindRequests: 0, platformsNotified: 0 } });
    expect(await count(reports, theirs.ownerId)).toBe(2);
    const [after] = await t.db.select().from(owners).where(eq(owners.id, theirs.ownerId));
    expect(after).toMatchObject({ lastSignInAt: null, lastVerifiedAt: null, sessionVersion: row!.sessionVersion + 1 });
    expect(await sessionStillValid(t.db, { role: "owner", userId: theirs.ownerId, sessionId: "s2", version: row!.sessionVersion, now: clock.now() })).toBe(false);
  });

  it("gives up on a platform that left the programme: nothing sent, the number cleared, the audit log says so by ids", async () => {
    const number = "+8615300001111";
    const history = await ownerWithHistory(t.db, store, { number, clock, deps, staffId: agentId, text: "另一条短信" });
    const gone = [...slugOf].find(([, slug]) => slug === "short-clips")![0];
    await t.db.update(platforms).set({ status: "disabled" }).where(eq(platforms.id, gone));
    const erased = await eraseOwner(t.db, store, { ownerId: history.ownerId, number, now: clock.now() });
    if (!erased.ok) throw new Error("not erased");
    await dispatchOnce(deps);
    const [event] = await t.db.select().from(platformEvents).where(and(eq(platformEvents.erasureId, erased.erasureId), eq(platformEvents.platformId, gone)));
    expect(event).toMatchObject({ number: null });
    expect(event!.settledAt).not.toBeNull();
    expect(Object.values(partner.stats({ number }).events).map((e) => e.slug)).not.toContain("short-clips");
    expect(Object.keys(partner.stats({ number }).events)).toHaveLength(erased.counts.platformsNotified - 1);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "platform_event.undelivered"), eq(auditLog.subjectId, event!.id)));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(number);
    await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, gone));
  });

  it("writes no number or text into what it keeps, even in the audit log's metadata", async () => {
    const rows = await t.db.select().from(auditLog).where(isNotNull(auditLog.metadata));
    const text = JSON.stringify(rows);
    expect(text).not.toContain(DEMO_OWNER_NUMBER);
    expect(text).not.toContain(MY_TEXT);
  });
});
