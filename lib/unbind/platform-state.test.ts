import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { lookupResults, lookups, numberTenures, outbox, owners, platforms, unbindBatches, unbindItems } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { createBatch, eligiblePlatforms } from "./batch";
import { canAsk, platformStates, requestProgress } from "./platform-state";
import { advanceItem } from "./transitions";

const BEFORE = ["linkup-chat", "swift-ride", "daily-mall", "easy-credit", "quick-loan", "city-services"];

describe("each platform's latest state across look-ups and batches", () => {
  let t: TestDatabase;
  let ownerId: string;
  let tenureId: string;
  let tenureStart: Date;
  let idOf: Map<string, string>;
  const day = (n: number) => new Date(Date.UTC(2026, 11, n, 2));
  const ids = (...slugs: string[]) => slugs.map((s) => idOf.get(s)!);
  const slugs = (platformIds: string[]) => platformIds.map((id) => [...idOf].find(([, v]) => v === id)![0]).sort();

  async function lookUp(at: Date, answers: Record<string, "bound_before_tenure" | "not_bound">) {
    const [lookup] = await t.db.insert(lookups).values({ ownerId, tenureId, tenureStart, startedAt: at, completedAt: at }).returning({ id: lookups.id });
    await t.db.insert(lookupResults).values(
      [...idOf].map(([slug, platformId]) => ({ lookupId: lookup!.id, platformId, attempts: 1, status: answers[slug] ?? ("not_bound" as const), answeredAt: at })),
    );
  }
  async function batch(slugList: string[], now: Date) {
    await t.db.update(owners).set({ lastVerifiedAt: now }).where(eq(owners.id, ownerId));
    return createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ids(...slugList), now });
  }
  async function move(batchId: string, slug: string, change: Parameters<typeof advanceItem>[2]) {
    const [item] = await t.db.select({ id: unbindItems.id }).from(unbindItems).where(and(eq(unbindItems.batchId, batchId), eq(unbindItems.platformId, idOf.get(slug)!)));
    await t.db.transaction((tx) => advanceItem(tx, item!.id, change));
  }
  const counts = async () => ({
    batches: (await t.db.select().from(unbindBatches)).length,
    items: (await t.db.select().from(unbindItems)).length,
    outbox: (await t.db.select().from(outbox)).length,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const [owner] = await t.db.insert(owners).values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: day(1), lastVerifiedAt: day(1) }).returning({ id: owners.id });
    ownerId = owner!.id;
    const [tenure] = await t.db
      .select({ id: numberTenures.id, startedAt: numberTenures.startedAt })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    tenureStart = tenure!.startedAt;
    const rows = await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms);
    idOf = new Map(rows.map((r) => [r.slug, r.id]));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("before any look-up nothing is eligible; after one, the platforms holding the previous owner's account are", async () => {
    expect(await eligiblePlatforms(t.db, ownerId, tenureId)).toEqual([]);
    await lookUp(day(2), Object.fromEntries(BEFORE.map((s) => [s, "bound_before_tenure" as const])));
    const states = await platformStates(t.db, ownerId, tenureId);
    expect(states.size).toBe(idOf.size);
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual([...BEFORE].sort());
    expect([...states.values()].every((s) => s.request === null && s.firstSentAt?.getTime() === day(2).getTime())).toBe(true);
    expect(requestProgress(states.values())).toEqual({ total: 6, requested: 0 });
  });

  it("a platform with a request in flight is not eligible, and a crafted post with it changes nothing", async () => {
    const first = await batch(["linkup-chat", "swift-ride", "daily-mall", "easy-credit", "quick-loan"], day(4));
    expect(first).toMatchObject({ ok: true, existing: false });
    if (!first.ok) return;
    const states = await platformStates(t.db, ownerId, tenureId);
    expect(states.get(idOf.get("linkup-chat")!)!.request).toEqual({ kind: "waiting", batchId: first.batchId, requestedAt: day(4) });
    expect(canAsk(states.get(idOf.get("linkup-chat")!)!)).toBe(false);
    // Only the one left out can still be asked; the task list says 5 of 6.
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual(["city-services"]);
    expect(requestProgress(states.values())).toEqual({ total: 6, requested: 5 });

    // The form only offers city-services; a hand-made POST adds an in-flight platform.
    const before = await counts();
    expect(await batch(["city-services", "linkup-chat"], day(4))).toEqual({ ok: false, error: "not_eligible" });
    expect(await batch(["swift-ride"], day(4))).toEqual({ ok: false, error: "not_eligible" });
    expect(await counts()).toEqual(before);
    // The same selection again (a double click) is still the batch it opened.
    expect(await batch(["quick-loan", "easy-credit", "daily-mall", "swift-ride", "linkup-chat"], day(4))).toEqual({ ok: true, batchId: first.batchId, existing: true });
    expect(await counts()).toEqual(before);
  });

  it("after the answers: unbound, scheduled and 'act in our app' stay out; declined and undelivered may be asked again, with their reason", async () => {
    const [open] = await t.db.select({ id: unbindBatches.id }).from(unbindBatches).where(isNull(unbindBatches.completedAt));
    const batchId = open!.id;
    for (const slug of ["linkup-chat", "swift-ride", "daily-mall", "easy-credit", "quick-loan"]) await move(batchId, slug, { to: "accepted", at: day(4) });
    await move(batchId, "linkup-chat", { to: "unbound", at: day(5) });
    await move(batchId, "swift-ride", { to: "scheduled", at: day(5), effectiveAt: day(12) });
    await move(batchId, "daily-mall", { to: "rejected", at: day(6), reason: "account_in_use" });
    await move(batchId, "easy-credit", { to: "failed", at: day(6), reason: "unreachable" });
    // quick-loan answers in its app: the owner has to act there, asking again would not help.
    await move(batchId, "quick-loan", { to: "needs_owner_action", at: day(6), reason: "Open the app" });
    const states = await platformStates(t.db, ownerId, tenureId);
    const of = (slug: string) => states.get(idOf.get(slug)!)!.request;
    expect(of("linkup-chat")).toEqual({ kind: "unbound", batchId, requestedAt: day(4), at: day(5) });
    expect(of("swift-ride")).toEqual({ kind: "scheduled", batchId, requestedAt: day(4), effectiveAt: day(12) });
    expect(of("daily-mall")).toEqual({ kind: "declined", batchId, requestedAt: day(4), at: day(6), reasonKey: "account_in_use" });
    expect(of("easy-credit")).toEqual({ kind: "failed", batchId, requestedAt: day(4), at: day(6), reasonKey: "unreachable" });
    expect(of("quick-loan")).toEqual({ kind: "needs_owner_action", batchId, requestedAt: day(4), at: day(6) });
    expect(of("city-services")).toBeNull();
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual(["city-services", "daily-mall", "easy-credit"]);

    // Asking the declined and the undelivered one again makes a new batch; its items are the latest.
    expect(await batch(["linkup-chat", "daily-mall"], day(7))).toEqual({ ok: false, error: "not_eligible" });
    const second = await batch(["daily-mall", "easy-credit"], day(7));
    expect(second).toMatchObject({ ok: true, existing: false });
    if (!second.ok) return;
    const after = await platformStates(t.db, ownerId, tenureId);
    expect(after.get(idOf.get("daily-mall")!)!.request).toEqual({ kind: "waiting", batchId: second.batchId, requestedAt: day(7) });
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual(["city-services"]);
  });

  it("a later look-up's answer is the one that counts: an unbound platform now answers 'not bound'", async () => {
    await lookUp(day(8), { "swift-ride": "bound_before_tenure", "city-services": "bound_before_tenure", "daily-mall": "bound_before_tenure", "easy-credit": "bound_before_tenure", "quick-loan": "bound_before_tenure" });
    const states = await platformStates(t.db, ownerId, tenureId);
    expect(states.get(idOf.get("linkup-chat")!)).toMatchObject({ answer: "not_bound", request: { kind: "unbound" }, firstSentAt: day(2) });
    // Still counted as bound and asked for the task list: it had the previous owner's account.
    expect(requestProgress(states.values())).toEqual({ total: 6, requested: 5 });
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual(["city-services"]);
  });

  it("a platform that said 'unbound' (or 'scheduled' for a date now past) but a later look-up still finds bound may be asked again", async () => {
    await lookUp(day(13), Object.fromEntries(BEFORE.map((slug) => [slug, "bound_before_tenure" as const])));
    const states = await platformStates(t.db, ownerId, tenureId);
    expect(states.get(idOf.get("linkup-chat")!)).toMatchObject({ answer: "bound_before_tenure", answeredAt: day(13), request: { kind: "unbound", at: day(5) } });
    // linkup-chat unbound on day 5 and swift-ride scheduled for day 12 are still bound on day 13;
    // the re-asked ones are in flight, and "act in our app" is the owner's to do.
    expect(slugs(await eligiblePlatforms(t.db, ownerId, tenureId))).toEqual(["city-services", "linkup-chat", "swift-ride"]);
  });

  it("reads everything in one query, whatever the number of platforms and batches", async () => {
    const execute = vi.spyOn(t.db, "execute");
    const select = vi.spyOn(t.db, "select");
    await platformStates(t.db, ownerId, tenureId);
    expect(execute).toHaveBeenCalledTimes(1);
    expect(select).not.toHaveBeenCalled();
    execute.mockRestore();
    select.mockRestore();
  });

  it("is scoped to the tenure: another tenure of the number sees none of it", async () => {
    const [other] = await t.db.insert(numberTenures).values({ number: "+8613900000000", carrierId: (await t.db.select({ c: numberTenures.carrierId }).from(numberTenures).limit(1))[0]!.c, startedAt: day(1), source: "self_declared" }).returning({ id: numberTenures.id });
    expect((await platformStates(t.db, ownerId, other!.id)).size).toBe(0);
  });
});
