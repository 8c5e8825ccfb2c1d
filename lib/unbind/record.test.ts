import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupResults, lookups, numberTenures, outbox, owners, platforms } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { createBatch } from "./batch";
import { unbindRecord } from "./record";
import { advanceItem, advanceItems } from "./transitions";

describe("the printable record of an unbind batch", () => {
  let t: TestDatabase;
  let ownerId: string;
  let tenureId: string;
  let batchId: string;
  let idOf: Map<string, string>;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);
  const me = () => ({ id: ownerId, number: DEMO_OWNER_NUMBER, tenureId });

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
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
    const [lookup] = await t.db
      .insert(lookups)
      .values({ ownerId, tenureId, tenureStart: tenure!.startedAt, startedAt: clock.now(), completedAt: clock.now() })
      .returning({ id: lookups.id });
    await t.db.insert(lookupResults).values(rows.map((r) => ({ lookupId: lookup!.id, platformId: r.id, status: "bound_before_tenure" as const })));

    const created = await createBatch(t.db, { ownerId, number: DEMO_OWNER_NUMBER, platformIds: ["linkup-chat", "city-services", "quick-loan"].map((s) => idOf.get(s)!), now: clock.now() });
    if (!created.ok) throw new Error(created.error);
    batchId = created.batchId;
    const items = await t.db.select({ id: outbox.messageId, platformId: outbox.platformId }).from(outbox).where(eq(outbox.kind, "unbind_request"));
    const item = (slug: string) => items.find((i) => i.platformId === idOf.get(slug))!.id;
    // Sent and accepted together, then each platform answers in its own time.
    await advanceItems(t.db, items.map((i) => i.id), { to: "sent", at: at(1) });
    await advanceItems(t.db, [item("linkup-chat"), item("city-services")], { to: "accepted", at: at(2) });
    await t.db.update(outbox).set({ status: "delivered", attempts: 1, deliveredAt: at(2) }).where(eq(outbox.messageId, item("linkup-chat")));
    await t.db.update(outbox).set({ status: "dead", attempts: 12 }).where(eq(outbox.messageId, item("quick-loan")));
    await t.db.transaction((tx) => advanceItem(tx, item("linkup-chat"), { to: "unbound", at: at(5) }));
    // A platform's own words may quote the account holder: the record masks them like any text that leaves.
    await t.db.transaction((tx) =>
      advanceItem(tx, item("city-services"), { to: "needs_owner_action", at: at(9), reason: "请刘某某本人或新机主致电 13812345678 确认" }),
    );
    await t.db.transaction((tx) => advanceItem(tx, item("quick-loan"), { to: "failed", at: at(4000), reason: "unreachable" }));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("holds the request as sent and every platform's answers in order, with the number masked", async () => {
    const record = await unbindRecord(t.db, me(), batchId, at(5000));
    expect(record).not.toBeNull();
    expect(record!.reference).toMatch(/^UB-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(record!.reference.replace(/^UB-|-/g, "").toLowerCase()).toBe(batchId.replace(/-/g, "").slice(0, 8));
    expect(record!.maskedNumber).toBe("138****8000");
    expect(record!.tenure.source).toBe("carrier_record");
    expect(record!.sentAt).toEqual(clock.now());
    expect(record!.completedAt).toEqual(at(4000));
    expect(record!.generatedAt).toEqual(at(5000));

    const bySlug = new Map(record!.items.map((i) => [[...idOf].find(([, id]) => id === i.platform.id)![0], i]));
    expect(record!.items).toHaveLength(3);
    expect(bySlug.get("linkup-chat")!.events.map((e) => [e.status, e.at])).toEqual([
      ["queued", clock.now()],
      ["sent", at(1)],
      ["accepted", at(2)],
      ["unbound", at(5)],
    ]);
    expect(bySlug.get("linkup-chat")).toMatchObject({ status: "unbound", delivery: "delivered", attempts: 1, deliveredAt: at(2) });
    expect(bySlug.get("quick-loan")!.events.map((e) => e.status)).toEqual(["queued", "sent", "failed"]);
    expect(bySlug.get("quick-loan")).toMatchObject({ status: "failed", reason: "unreachable", delivery: "dead", attempts: 12, deliveredAt: null });
    const city = bySlug.get("city-services")!;
    expect(city.events.map((e) => e.status)).toEqual(["queued", "sent", "accepted", "needs_owner_action"]);
    expect(city.reason).toBeNull();
    expect(city.instructions).toContain("刘**");
    expect(city.events.at(-1)!.instructions).toBe(city.instructions);
    // Each platform's part carries the requestId it knows the request by.
    for (const item of record!.items) expect(item.reference).toMatch(/^UB-/);
  });

  it("never carries the full number or the previous owner's name", async () => {
    const text = JSON.stringify(await unbindRecord(t.db, me(), batchId, at(5000)));
    for (const secret of [DEMO_OWNER_NUMBER, DEMO_OWNER_NUMBER.slice(3), "刘某某", "13812345678"]) expect(text).not.toContain(secret);
  });

  it("is the owner's own, in their current tenure: anyone else gets nothing", async () => {
    const [other] = await t.db.insert(owners).values({ number: "+8618620001234", termsVersion: "test", termsAcceptedAt: clock.now() }).returning({ id: owners.id });
    expect(await unbindRecord(t.db, { id: other!.id, number: "+8618620001234", tenureId }, batchId, clock.now())).toBeNull();
    // The same owner row with another tenure: an earlier (or later) holder of the number.
    expect(await unbindRecord(t.db, { ...me(), tenureId: randomUUID() }, batchId, clock.now())).toBeNull();
    expect(await unbindRecord(t.db, me(), randomUUID(), clock.now())).toBeNull();
  });
});
