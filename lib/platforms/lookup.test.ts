import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, lookupResults, lookups, numberTenures, owners, platforms } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER, sandboxBindings } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import type { EgressPolicy } from "./egress";
import {
  consentState,
  dueLookups,
  giveConsent,
  giveConsentAndStartLookup,
  ownerLookup,
  runLookup,
  startLookup,
  withdrawConsent,
  type LookupConfig,
  type ResultEvent,
} from "./lookup";
import { cancelScheduledRetries, streamLookup, type LookupEvent } from "./lookup-stream";

const DEV_POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };
const config: LookupConfig = { deadlineMs: 400, timeoutMs: 1200, minIntervalSeconds: 60, retryDelaysMs: [5_000, 30_000] };

async function readAll(stream: ReadableStream<Uint8Array>) {
  const started = performance.now();
  const events: (LookupEvent & { at: number })[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) if (line) events.push({ ...(JSON.parse(line) as LookupEvent), at: performance.now() - started });
  }
  return { events, endedAt: performance.now() - started };
}

describe("platform look-up against the reference partner server", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let env: Record<string, string>;
  let ownerId: string;
  let tenureId: string;
  let slugOf: Map<string, string>;
  let idOf: Map<string, string>;
  const clock = fakeClock("2026-11-29T02:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    partner = await startPartnerServer();
    env = { SANDBOX_PARTNER_URL: partner.url };
    const [owner] = await t.db
      .insert(owners)
      .values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: clock.now() })
      .returning({ id: owners.id });
    ownerId = owner!.id;
    const [tenure] = await t.db
      .select({ id: numberTenures.id })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    const rows = await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms);
    slugOf = new Map(rows.map((r) => [r.id, r.slug]));
    idOf = new Map(rows.map((r) => [r.slug, r.id]));
  });
  afterAll(async () => {
    await partner?.close();
    await t?.dispose();
  });
  beforeEach(() => {
    // A retry timer left by a streamed look-up would fire (in real time) during a later test.
    cancelScheduledRetries();
    partner.reset();
    clock.advance(10 * 60_000); // past the once-a-minute limit of the previous test
  });

  async function consentToAll() {
    const state = await consentState(t.db, ownerId, tenureId);
    await giveConsent(t.db, { ownerId, tenureId, platformIds: state.platforms.map((p) => p.id), now: clock.now() });
  }

  async function statuses(lookupId: string) {
    const rows = await t.db.select().from(lookupResults).where(eq(lookupResults.lookupId, lookupId));
    return Object.fromEntries(rows.map((r) => [slugOf.get(r.platformId)!, r]));
  }

  it("sends nothing without the owner's consent, and nothing without a known tenure start", async () => {
    expect(await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config })).toEqual({ ok: false, error: "no_consent" });
    expect(await startLookup(t.db, { ownerId, number: "+8613700000001", now: clock.now(), config })).toEqual({ ok: false, error: "no_tenure" });
    expect(Object.keys(partner.stats().requests)).toHaveLength(0);
  });

  it("asks every consented platform and saves each platform's enum answer, matching what the platforms hold", async () => {
    await consentToAll();
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.platformIds).toHaveLength(12);
    const seen: ResultEvent[] = [];
    await runLookup(t.db, started.lookupId, { config, clock, env, policy: DEV_POLICY, onResult: (e) => seen.push(e) });

    const saved = await statuses(started.lookupId);
    const tenureStart = new Date("2026-03-15T10:30:00+08:00");
    for (const slug of idOf.keys()) {
      const created = sandboxBindings[DEMO_OWNER_NUMBER]![slug];
      const expected = !created ? "not_bound" : new Date(created) < tenureStart ? "bound_before_tenure" : "bound_since_tenure";
      expect(saved[slug]?.status, slug).toBe(expected);
      expect(saved[slug]?.latencyMs).toBeGreaterThanOrEqual(0);
      expect(saved[slug]?.answeredAt).toEqual(clock.now());
    }
    expect(seen).toHaveLength(12);
    expect(Object.values(saved).filter((r) => r.status === "bound_before_tenure")).toHaveLength(6);
    const [lookup] = await t.db.select().from(lookups).where(eq(lookups.id, started.lookupId));
    expect(lookup?.completedAt).not.toBeNull();
    expect(lookup?.tenureStart).toEqual(tenureStart);

    const view = await ownerLookup(t.db, { ownerId, tenureId });
    expect(view?.id).toBe(started.lookupId);
    // The audit log names subjects by id: the number appears nowhere in it.
    const audit = await t.db.select().from(auditLog);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["consent.given", "lookup.started"]));
    expect(JSON.stringify(audit)).not.toContain("13800138000");
  });

  it("agree and check: one call records the consent as its own row first, then starts the look-up under it", async () => {
    await withdrawConsent(t.db, { ownerId, tenureId, now: clock.now() });
    const shown = (await consentState(t.db, ownerId, tenureId)).platforms.map((p) => p.id);
    // Nothing listed (say, every platform paused meanwhile): no consent, and no look-up either.
    expect(await giveConsentAndStartLookup(t.db, { ownerId, tenureId, number: DEMO_OWNER_NUMBER, platformIds: [], now: clock.now(), config })).toEqual({
      consent: { ok: false, error: "no_platforms" },
      lookup: null,
    });
    const result = await giveConsentAndStartLookup(t.db, { ownerId, tenureId, number: DEMO_OWNER_NUMBER, platformIds: shown, now: clock.now(), config });
    expect(result.consent.ok && result.lookup?.ok).toBe(true);
    if (!result.consent.ok || !result.lookup?.ok) return;
    const consent = (await consentState(t.db, ownerId, tenureId)).consent;
    expect(consent).toMatchObject({ id: result.consent.id, platformIds: shown });
    expect(result.lookup.platformIds.sort()).toEqual([...shown].sort());
    const subjects = [result.consent.id, result.lookup.lookupId];
    const audit = (await t.db.select().from(auditLog).orderBy(auditLog.at, auditLog.id)).filter((a) => subjects.includes(a.subjectId ?? ""));
    expect(audit.map((a) => a.action)).toEqual(["consent.given", "lookup.started"]);
    // Agreeing again within the minute (to include a new platform) records the consent; the check waits.
    const again = await giveConsentAndStartLookup(t.db, { ownerId, tenureId, number: DEMO_OWNER_NUMBER, platformIds: shown, now: clock.now(), config });
    expect(again).toMatchObject({ consent: { ok: true }, lookup: { ok: false, error: "too_soon" } });
  });

  it("allows one new look-up a minute per owner, even when two start at once", async () => {
    await consentToAll();
    const both = await Promise.all([
      startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config }),
      startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    clock.advance(20_000);
    const again = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    expect(again).toEqual({ ok: false, error: "too_soon", retryAfterSeconds: 40 });
    clock.advance(40_000);
    expect((await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config })).ok).toBe(true);
  });

  it("streams early answers first, ends at the deadline without waiting for a hanging platform, and saves errors as unavailable", async () => {
    await consentToAll();
    partner.setKnobs("*", { latencyMs: 20 });
    partner.setKnobs("swift-ride", { latencyMs: 800 }); // late: after the deadline, before the timeout
    partner.setKnobs("daily-mall", { hang: true });
    partner.setKnobs("coin-pay", { errorRate: 1 });
    partner.setKnobs("green-taxi", { badSignature: true });
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!started.ok) throw new Error(started.error);
    const { stream, done } = streamLookup(t.db, started, { config, clock, env, policy: DEV_POLICY });
    const { events, endedAt } = await readAll(stream);

    expect(events[0]?.type).toBe("started");
    const results = events.filter((e): e is Extract<LookupEvent, { type: "result" }> & { at: number } => e.type === "result");
    const deadline = events.find((e) => e.type === "deadline") as Extract<LookupEvent, { type: "deadline" }> & { at: number };
    expect(deadline).toBeDefined();
    expect(new Set(deadline.pending.map((id) => slugOf.get(id)))).toEqual(new Set(["swift-ride", "daily-mall"]));
    // Every fast platform was shown before the deadline, and the stream did not wait for the slow ones.
    expect(results.filter((e) => e.at < deadline.at)).toHaveLength(10);
    expect(endedAt).toBeLessThan(config.timeoutMs);
    expect(events.at(-1)?.type).toBe("end");

    await done;
    const saved = await statuses(started.lookupId);
    expect(saved["swift-ride"]?.status).toBe("bound_before_tenure"); // filled in after the deadline
    expect(saved["coin-pay"]).toMatchObject({ status: "unavailable", error: "http_503" });
    expect(saved["green-taxi"]).toMatchObject({ status: "unavailable", error: "bad_signature" });
    expect(saved["daily-mall"]).toMatchObject({ status: "pending", error: "timeout", attempts: 1 });
    expect(saved["daily-mall"]?.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 5_000));
  });

  it("asks a platform that timed out again when its turn comes, and gives up after the last retry", async () => {
    await consentToAll();
    partner.setKnobs("daily-mall", { hang: true });
    partner.setKnobs("linkup-chat", { hang: true });
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!started.ok) throw new Error(started.error);
    const options = { config, clock, env, policy: DEV_POLICY };
    await runLookup(t.db, started.lookupId, options);
    expect(await dueLookups(t.db, clock.now())).not.toContain(started.lookupId);

    clock.advance(5_000);
    expect(await dueLookups(t.db, clock.now())).toContain(started.lookupId);
    partner.setKnobs("daily-mall", {}); // it recovers; linkup-chat still hangs
    await runLookup(t.db, started.lookupId, options);
    let saved = await statuses(started.lookupId);
    expect(saved["daily-mall"]).toMatchObject({ status: "bound_before_tenure", attempts: 2 });
    expect(saved["linkup-chat"]).toMatchObject({ status: "pending", attempts: 2 });
    expect(saved["not-a-platform"]).toBeUndefined();

    clock.advance(30_000);
    await runLookup(t.db, started.lookupId, options);
    saved = await statuses(started.lookupId);
    expect(saved["linkup-chat"]).toMatchObject({ status: "unavailable", error: "timeout", attempts: 3 });
    expect(partner.stats().requests["daily-mall /lookup"]).toBe(2);
    const [lookup] = await t.db.select().from(lookups).where(eq(lookups.id, started.lookupId));
    expect(lookup?.completedAt).not.toBeNull();
  });

  it("does not ask again a platform that was paused while its retry was waiting", async () => {
    await consentToAll();
    partner.setKnobs("daily-mall", { hang: true });
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!started.ok) throw new Error(started.error);
    const options = { config, clock, env, policy: DEV_POLICY };
    await runLookup(t.db, started.lookupId, options);
    await t.db.update(platforms).set({ status: "paused" }).where(eq(platforms.slug, "daily-mall"));
    try {
      clock.advance(5_000);
      await runLookup(t.db, started.lookupId, options);
      expect((await statuses(started.lookupId))["daily-mall"]).toMatchObject({ status: "unavailable", error: "platform_paused" });
      expect(partner.stats().requests["daily-mall /lookup"]).toBe(1);
    } finally {
      await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.slug, "daily-mall"));
    }
  });

  it("never asks the same platform twice at once when two workers run the same look-up", async () => {
    await consentToAll();
    partner.setKnobs("*", { latencyMs: 100 });
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!started.ok) throw new Error(started.error);
    const options = { config, clock, env, policy: DEV_POLICY };
    await Promise.all([runLookup(t.db, started.lookupId, options), runLookup(t.db, started.lookupId, options)]);
    const counts = Object.values(partner.stats().requests);
    expect(counts).toHaveLength(12);
    expect(partner.stats().requests).toEqual(Object.fromEntries(Object.keys(partner.stats().requests).map((k) => [k, 1])));
  });

  it("refuses forbidden addresses before any request leaves, and records a platform that rejects our signature", async () => {
    await consentToAll();
    const [bad] = await t.db
      .insert(platforms)
      .values([
        { slug: "internal-net", nameZh: "内网", nameEn: "Internal", category: "social", baseUrl: "http://10.0.0.7/partner", signingSecrets: ["whsec_" + Buffer.alloc(32, 1).toString("base64")] },
      ])
      .returning({ id: platforms.id });
    slugOf.set(bad!.id, "internal-net");
    await t.db.update(platforms).set({ signingSecrets: ["whsec_" + Buffer.alloc(32, 7).toString("base64")] }).where(eq(platforms.slug, "fresh-bites"));
    await consentToAll();
    const started = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!started.ok) throw new Error(started.error);
    expect(started.platformIds).toContain(bad!.id);
    await runLookup(t.db, started.lookupId, { config, clock, env, policy: DEV_POLICY });
    let saved = await statuses(started.lookupId);
    expect(saved["internal-net"]).toMatchObject({ status: "unavailable", error: "https_required" });
    expect(saved["fresh-bites"]).toMatchObject({ status: "unavailable", error: "http_401" });
    expect(partner.stats().rejectedSignatures).toBe(1);

    // With production rules, the loopback partner server itself is out of bounds.
    partner.reset();
    clock.advance(61_000);
    const strict = await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config });
    if (!strict.ok) throw new Error(strict.error);
    await runLookup(t.db, strict.lookupId, { config, clock, env, policy: { allowLoopback: false, requireHttps: true } });
    saved = await statuses(strict.lookupId);
    expect(Object.values(saved).every((r) => r.status === "unavailable" && ["https_required", "forbidden_address"].includes(r.error!))).toBe(true);
    expect(partner.stats().requests).toEqual({});
    await t.db.delete(lookupResults).where(eq(lookupResults.platformId, bad!.id));
    await t.db.delete(platforms).where(eq(platforms.id, bad!.id));
  });

  it("lets the owner withdraw consent, and never hands consent or results to a later holder of the number", async () => {
    await consentToAll();
    expect((await consentState(t.db, ownerId, tenureId)).consent).not.toBeNull();
    expect(await withdrawConsent(t.db, { ownerId, tenureId, now: clock.now() })).toBe(1);
    expect(await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config })).toEqual({ ok: false, error: "no_consent" });

    await consentToAll();
    // The carrier re-issues the number: the old tenure ends and a new one begins.
    const reissued = new Date(clock.now().getTime() + 1000);
    await t.db.update(numberTenures).set({ endedAt: reissued }).where(eq(numberTenures.id, tenureId));
    const [next] = await t.db
      .insert(numberTenures)
      .values({ number: DEMO_OWNER_NUMBER, startedAt: reissued, source: "carrier_record" })
      .returning({ id: numberTenures.id });
    expect((await consentState(t.db, ownerId, next!.id)).consent).toBeNull();
    expect(await ownerLookup(t.db, { ownerId, tenureId: next!.id })).toBeNull();
    expect(await startLookup(t.db, { ownerId, number: DEMO_OWNER_NUMBER, now: clock.now(), config })).toEqual({ ok: false, error: "no_consent" });
  });
});
