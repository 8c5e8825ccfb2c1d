import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentCases, lookupResults, lookups, numberTenures, outbox, owners, platforms, unbindBatches, unbindEvents, unbindItems } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER, sandboxSigningSecret } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { fakeClock } from "@/lib/clock";
import { recordingSms } from "@/lib/otp/testing";
import type { EgressPolicy } from "@/lib/platforms/egress";
import { generateSigningJwk, loadSigningKeys, publicJwks, type SigningKey } from "@/lib/platforms/keys";
import { signatureHeaders } from "@/lib/platforms/signing";
import { startCallbackReceiver, waitFor } from "@/lib/platforms/testing";
import { createBatch } from "./batch";
import { handleUnbindResult } from "./callbacks";
import { dispatchOnce, MAX_ATTEMPTS, RETRY_DELAYS_MS, type DispatchDeps } from "@/lib/outbox/dispatch";
import { openCasesForSilence, SILENCE_BEFORE_CASE_MS } from "./silence";

const DEV_POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };
const BEFORE = ["linkup-chat", "swift-ride", "daily-mall", "easy-credit", "quick-loan", "city-services"];

describe("batch unbind through the outbox and the reference partner server", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let keys: SigningKey[];
  let ownerId: string;
  let tenureId: string;
  let idOf: Map<string, string>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const sms = recordingSms();
  let deps: DispatchDeps;

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("test-1")]));
    receiver = await startCallbackReceiver((input) => handleUnbindResult(t.db, { ...input, now: clock.now() }));
    partner = await startPartnerServer({ callbackUrl: `${receiver.base}/api/partner/v1/unbind-results`, jwks: await publicJwks(keys) });
    deps = { db: t.db, clock, policy: DEV_POLICY, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 1500, sms: () => sms, publicUrl: "https://reclaim.test", random: () => 0.5 };

    const [owner] = await t.db
      .insert(owners)
      .values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: clock.now(), lastVerifiedAt: clock.now() })
      .returning({ id: owners.id });
    ownerId = owner!.id;
    const [tenure] = await t.db
      .select({ id: numberTenures.id, startedAt: numberTenures.startedAt })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    const rows = await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms);
    idOf = new Map(rows.map((r) => [r.slug, r.id]));
    // The last look-up's answers: six platforms hold the previous owner's accounts.
    const [lookup] = await t.db
      .insert(lookups)
      .values({ ownerId, tenureId, tenureStart: tenure!.startedAt, startedAt: clock.now(), completedAt: clock.now() })
      .returning({ id: lookups.id });
    await t.db.insert(lookupResults).values(
      rows.map((r) => ({ lookupId: lookup!.id, platformId: r.id, status: BEFORE.includes(r.slug) ? ("bound_before_tenure" as const) : ("not_bound" as const) })),
    );
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
    await t?.dispose();
  });
  beforeEach(async () => {
    partner.reset();
    sms.sent.length = 0;
    await t.db.update(owners).set({ lastVerifiedAt: clock.now() }).where(eq(owners.id, ownerId));
  });

  const ids = (...slugs: string[]) => slugs.map((s) => idOf.get(s)!);

  async function items(batchId: string) {
    const rows = await t.db.select().from(unbindItems).where(eq(unbindItems.batchId, batchId));
    const slugs = new Map([...idOf].map(([slug, id]) => [id, slug]));
    return Object.fromEntries(rows.map((r) => [slugs.get(r.platformId)!, r]));
  }

  // A platform with a request in flight or answered is not asked again (eligiblePlatforms), and these
  // tests send to the same platforms again and again: each starts from no requests at all.
  async function forgetBatches() {
    await t.db.delete(unbindBatches);
  }

  it("needs a recent code, an eligible selection, and writes batch, items, timeline and outbox together", async () => {
    await t.db.update(owners).set({ lastVerifiedAt: new Date(clock.now().getTime() - 16 * 60_000) }).where(eq(owners.id, ownerId));
    expect(await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("linkup-chat"), now: clock.now() })).toEqual({ ok: false, error: "reverify" });
    await t.db.update(owners).set({ lastVerifiedAt: clock.now() }).where(eq(owners.id, ownerId));
    expect(await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: [], now: clock.now() })).toEqual({ ok: false, error: "nothing_selected" });
    // A platform that answered "not bound" cannot be asked to unbind.
    expect(await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("linkup-chat", "short-clips"), now: clock.now() })).toEqual({
      ok: false,
      error: "not_eligible",
    });

    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("swift-ride", "linkup-chat"), now: clock.now() });
    expect(created).toMatchObject({ ok: true, existing: false });
    if (!created.ok) return;
    const rows = await items(created.batchId);
    expect(Object.keys(rows).sort()).toEqual(["linkup-chat", "swift-ride"]);
    expect(Object.values(rows).every((r) => r.status === "queued")).toBe(true);
    const queued = await t.db.select().from(outbox).where(eq(outbox.kind, "unbind_request"));
    expect(queued.map((q) => q.messageId).sort()).toEqual(Object.values(rows).map((r) => r.id).sort());
    expect(Object.keys(partner.stats().requests)).toHaveLength(0); // nothing sent from the request itself

    // The same selection while it is open is the same batch, in any order.
    const again = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("linkup-chat", "swift-ride"), now: clock.now() });
    expect(again).toEqual({ ok: true, batchId: created.batchId, existing: true });
    expect(await t.db.select().from(unbindItems).where(eq(unbindItems.batchId, created.batchId))).toHaveLength(2);
    await t.db.delete(outbox);
    await forgetBatches();
  });

  it("delivers every item, follows each platform's callback to its final state, and texts the owner once when all are final", async () => {
    partner.setKnobs("swift-ride", { unbind: { outcome: "scheduled", noticeDays: 7 } });
    partner.setKnobs("daily-mall", { unbind: { outcome: "rejected", reason: "account_in_use" } });
    partner.setKnobs("city-services", { unbind: { outcome: "needs_owner_action", instructions: "Open the app and confirm." } });
    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids(...BEFORE), now: clock.now() });
    if (!created.ok) throw new Error(created.error);
    const round = await dispatchOnce(deps);
    expect(round).toMatchObject({ claimed: 6, delivered: 6 });
    expect(Object.values(partner.stats().unbinds)).toEqual([1, 1, 1, 1, 1, 1]);

    await waitFor(async () => Object.values(await items(created.batchId)).every((i) => !["queued", "sent", "accepted"].includes(i.status)));
    const final = await items(created.batchId);
    expect(final["linkup-chat"]?.status).toBe("unbound");
    expect(final["easy-credit"]?.status).toBe("unbound");
    expect(final["swift-ride"]?.status).toBe("scheduled");
    expect(final["swift-ride"]?.effectiveAt?.getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000);
    expect(final["daily-mall"]).toMatchObject({ status: "rejected", reason: "account_in_use" });
    expect(final["city-services"]).toMatchObject({ status: "needs_owner_action", reason: "Open the app and confirm." });

    const timeline = await t.db.select().from(unbindEvents).where(eq(unbindEvents.itemId, final["linkup-chat"]!.id)).orderBy(unbindEvents.id);
    expect(timeline.map((e) => e.status)).toEqual(["queued", "sent", "accepted", "unbound"]);
    const [batch] = await t.db.select().from(unbindBatches).where(eq(unbindBatches.id, created.batchId));
    expect(batch?.completedAt).not.toBeNull();

    await dispatchOnce(deps);
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]).toMatchObject({ to: DEMO_OWNER_NUMBER });
    expect(sms.sent[0]!.body).toBe(`【Reclaim】你的解绑申请已完成：已解绑 3 个，已排期 1 个，被拒绝 1 个，需你处理 1 个。详情：https://reclaim.test/unbind/${created.batchId}`);
    await dispatchOnce(deps);
    expect(sms.sent).toHaveLength(1);
  });

  it("retries with backoff on 5xx, then fails the item and opens an agent case when retries run out", async () => {
    await forgetBatches();
    partner.setKnobs("quick-loan", { errorRate: 1 });
    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("quick-loan"), now: clock.now() });
    if (!created.ok) throw new Error(created.error);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.messageId, (await items(created.batchId))["quick-loan"]!.id));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const round = await dispatchOnce(deps);
      expect(round.claimed, `attempt ${attempt}`).toBe(1);
      const [now] = await t.db.select().from(outbox).where(eq(outbox.id, row!.id));
      if (attempt < MAX_ATTEMPTS) {
        expect(now).toMatchObject({ status: "pending", attempts: attempt, lastError: "http_503" });
        // With jitter at its midpoint the wait is exactly the schedule's.
        expect(now!.nextAttemptAt.getTime() - clock.now().getTime()).toBe(RETRY_DELAYS_MS[attempt - 1]);
        expect((await dispatchOnce(deps)).claimed).toBe(0); // not due yet
        clock.advance(RETRY_DELAYS_MS[attempt - 1]!);
      } else {
        expect(now).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS });
      }
    }
    expect(partner.stats().requests["quick-loan /unbind"]).toBe(MAX_ATTEMPTS);
    expect((await items(created.batchId))["quick-loan"]).toMatchObject({ status: "failed", reason: "unreachable" });
    const cases = await t.db.select().from(agentCases).where(eq(agentCases.unbindItemId, (await items(created.batchId))["quick-loan"]!.id));
    expect(cases).toEqual([expect.objectContaining({ kind: "delivery_failed", status: "open", ownerId })]);
    // The batch is complete: the owner is told, including that an agent follows up.
    await dispatchOnce(deps);
    expect(sms.sent.at(-1)?.body).toContain("未能送达 1 个（客服跟进中）");
  });

  it("a 410 is final: the platform is disabled and an agent case opened", async () => {
    await forgetBatches();
    partner.setKnobs("easy-credit", { gone: true });
    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("easy-credit"), now: clock.now() });
    if (!created.ok) throw new Error(created.error);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 1, failed: 1 });
    expect((await items(created.batchId))["easy-credit"]).toMatchObject({ status: "failed", reason: "endpoint_gone" });
    const [platform] = await t.db.select().from(platforms).where(eq(platforms.slug, "easy-credit"));
    expect(platform?.status).toBe("disabled");
    const cases = await t.db.select().from(agentCases).where(eq(agentCases.platformId, platform!.id));
    expect(cases.map((c) => c.kind)).toContain("endpoint_gone");
    await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, platform!.id));
  });

  it("holds requests to a paused platform without spending their retries", async () => {
    await forgetBatches();
    await t.db.update(platforms).set({ status: "paused" }).where(eq(platforms.slug, "swift-ride"));
    try {
      const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("swift-ride"), now: clock.now() });
      if (!created.ok) throw new Error(created.error);
      expect(await dispatchOnce(deps)).toMatchObject({ retrying: 1 });
      const [row] = await t.db.select().from(outbox).where(eq(outbox.messageId, (await items(created.batchId))["swift-ride"]!.id));
      expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: "platform_paused" });
      expect(partner.stats().requests["swift-ride /unbind"]).toBeUndefined();
    } finally {
      await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.slug, "swift-ride"));
      await t.db.delete(outbox).where(eq(outbox.status, "pending"));
    }
  });

  it("opens one agent case for an accepted request the platform never answers", async () => {
    await forgetBatches();
    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("quick-loan"), now: clock.now() });
    if (!created.ok) throw new Error(created.error);
    const item = (await items(created.batchId))["quick-loan"]!;
    await t.db.delete(outbox).where(eq(outbox.messageId, item.id));
    await t.db.update(unbindItems).set({ status: "accepted", updatedAt: clock.now() }).where(eq(unbindItems.id, item.id));
    expect(await openCasesForSilence(t.db, new Date(clock.now().getTime() + SILENCE_BEFORE_CASE_MS - 1000))).toBe(0);
    const later = new Date(clock.now().getTime() + SILENCE_BEFORE_CASE_MS + 1000);
    expect(await openCasesForSilence(t.db, later)).toBe(1);
    expect(await openCasesForSilence(t.db, later)).toBe(0);
    const cases = await t.db.select().from(agentCases).where(eq(agentCases.unbindItemId, item.id));
    expect(cases.map((c) => c.kind)).toEqual(["no_answer"]);
  });

  it("honours Retry-After on 429", async () => {
    await forgetBatches();
    const stub = createServer((_req, res) => res.writeHead(429, { "retry-after": "120" }).end());
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    try {
      const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("city-services"), now: clock.now() });
      if (!created.ok) throw new Error(created.error);
      await dispatchOnce({ ...deps, env: { SANDBOX_PARTNER_URL: base } });
      const [row] = await t.db.select().from(outbox).where(eq(outbox.messageId, (await items(created.batchId))["city-services"]!.id));
      expect(row).toMatchObject({ status: "pending", lastError: "http_429" });
      expect(row!.nextAttemptAt.getTime() - clock.now().getTime()).toBe(120_000);
    } finally {
      await new Promise((resolve) => stub.close(resolve));
      await t.db.delete(outbox).where(eq(outbox.status, "pending"));
    }
  });

  describe("callbacks", () => {
    let itemId: string;
    const secret = sandboxSigningSecret("linkup-chat");
    const post = (body: unknown, { id = `msg_${Math.random()}`, signWith = secret }: { id?: string; signWith?: string } = {}) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return handleUnbindResult(t.db, { headers: signatureHeaders(signWith, text, { id }), body: text, now: clock.now() });
    };

    beforeAll(async () => {
      await forgetBatches();
      const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("linkup-chat"), now: clock.now() });
      if (!created.ok) throw new Error(created.error);
      itemId = (await items(created.batchId))["linkup-chat"]!.id;
      await t.db.delete(outbox).where(eq(outbox.messageId, itemId));
    });

    it("are idempotent on webhook-id and never move an item backwards", async () => {
      expect(await post({ requestId: itemId, status: "unbound" }, { id: "msg_cb_1" })).toEqual({ status: 200, body: { ok: true } });
      expect(await post({ requestId: itemId, status: "unbound" }, { id: "msg_cb_1" })).toEqual({ status: 200, body: { ok: true, duplicate: true } });
      // A late "scheduled" after "unbound" is acknowledged and ignored.
      expect(await post({ requestId: itemId, status: "scheduled", effectiveAt: "2026-12-06T00:00:00Z" })).toEqual({
        status: 200,
        body: { ok: true, ignored: "not_forward" },
      });
      const [item] = await t.db.select().from(unbindItems).where(eq(unbindItems.id, itemId));
      expect(item?.status).toBe("unbound");
      const timeline = await t.db.select().from(unbindEvents).where(eq(unbindEvents.itemId, itemId));
      expect(timeline.filter((e) => e.status === "unbound")).toHaveLength(1);
    });

    it("answer 404 for an unknown request, 400 with a reason for a malformed body, 401 for a bad signature", async () => {
      expect((await post({ requestId: "00000000-0000-4000-8000-000000000000", status: "unbound" })).status).toBe(404);
      const malformed = await post({ requestId: itemId, status: "done" });
      expect(malformed.status).toBe(400);
      expect(JSON.stringify(malformed.body)).toContain("status");
      expect((await post({ requestId: itemId, status: "scheduled" })).body).toMatchObject({ error: "invalid_body", issues: [expect.stringContaining("effectiveAt")] });
      expect((await post("{not json")).status).toBe(400);
      // Signed by another platform: only the platform the request went to may answer it; to any
      // other platform the request does not exist.
      expect(await post({ requestId: itemId, status: "rejected" }, { signWith: sandboxSigningSecret("swift-ride") })).toMatchObject({
        status: 404,
        body: { error: "unknown_request" },
      });
    });

    it("check the signature before anything else: an unsigned caller learns nothing about which ids exist", async () => {
      const unsigned = (body: string) => handleUnbindResult(t.db, { headers: {}, body, now: clock.now() });
      for (const body of ["{not json", JSON.stringify({ requestId: "nope", status: "unbound" }), JSON.stringify({ requestId: itemId, status: "unbound" })]) {
        expect(await unsigned(body)).toMatchObject({ status: 401, body: { error: "bad_signature" } });
      }
      const forged = await post({ requestId: "00000000-0000-4000-8000-000000000000", status: "unbound" }, { signWith: "whsec_" + Buffer.alloc(32, 7).toString("base64") });
      expect(forged.status).toBe(401);
      // Over the cap: refused before the signature or the body is looked at.
      expect((await post({ requestId: itemId, status: "unbound", reason: "x".repeat(30_000) })).status).toBe(413);
    });

    it("key idempotency by (platform, webhook-id): another platform's callback under the same id is applied", async () => {
      await forgetBatches();
      const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("daily-mall", "easy-credit"), now: clock.now() });
      if (!created.ok) throw new Error(created.error);
      const rows = await items(created.batchId);
      const shared = "msg_shared_by_two_platforms";
      expect(await post({ requestId: rows["daily-mall"]!.id, status: "unbound" }, { id: shared, signWith: sandboxSigningSecret("daily-mall") })).toEqual({
        status: 200,
        body: { ok: true },
      });
      expect(await post({ requestId: rows["easy-credit"]!.id, status: "unbound" }, { id: shared, signWith: sandboxSigningSecret("easy-credit") })).toEqual({
        status: 200,
        body: { ok: true },
      });
      const after = await items(created.batchId);
      expect([after["daily-mall"]!.status, after["easy-credit"]!.status]).toEqual(["unbound", "unbound"]);
      // The same platform repeating its own id is still a duplicate.
      expect(await post({ requestId: rows["easy-credit"]!.id, status: "unbound" }, { id: shared, signWith: sandboxSigningSecret("easy-credit") })).toMatchObject({
        body: { duplicate: true },
      });
      await t.db.delete(outbox).where(eq(outbox.status, "pending"));
    });

    it("strip NUL and other control characters from a platform's text instead of failing the callback forever", async () => {
      await forgetBatches();
      const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids("quick-loan", "city-services"), now: clock.now() });
      if (!created.ok) throw new Error(created.error);
      const rows = await items(created.batchId);
      const asked = await post(
        { requestId: rows["quick-loan"]!.id, status: "needs_owner_action", instructions: "Open the app\u0000 and\u0007 confirm\r\nthen wait" },
        { signWith: sandboxSigningSecret("quick-loan") },
      );
      expect(asked).toEqual({ status: 200, body: { ok: true } });
      const refused = await post(
        { requestId: rows["city-services"]!.id, status: "rejected", reason: "\u0000account\u0000 in use\u001b[31m" },
        { signWith: sandboxSigningSecret("city-services") },
      );
      expect(refused).toEqual({ status: 200, body: { ok: true } });
      const after = await items(created.batchId);
      expect(after["quick-loan"]!.status).toBe("needs_owner_action");
      expect(after["city-services"]!.status).toBe("rejected");
      const reasons = (await t.db.select().from(unbindEvents)).map((e) => JSON.stringify(e));
      expect(reasons.some((r) => r.includes("Open the app and confirm\\nthen wait"))).toBe(true);
      expect(reasons.some((r) => r.includes("\\u0000"))).toBe(false);
      await t.db.delete(outbox).where(eq(outbox.status, "pending"));
    });
  });
});
