import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, numberTenures, owners } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { caseTimeline } from "@/lib/cases/queries";
import { correctTenure, declareTenure, TENURE_CORRECTED } from "./tenure";

describe("self-declared tenure", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-28T10:00:00+08:00");
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());
  /** The owner row of a number (made on first use), as sign-in makes it. */
  const o = async (number: string) =>
    (await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now }).onConflictDoUpdate({ target: owners.number, set: { termsVersion: "t" } }).returning({ id: owners.id }))[0]!.id;

  it("is saved as self-declared with the carrier the prefix belongs to", async () => {
    const number = "+8618620009999";
    expect(await declareTenure(t.db, { ownerId: await o(number), number, startedAt: new Date("2025-02-01"), now })).toEqual({ ok: true });
    const [row] = await t.db.select().from(numberTenures).innerJoin(carriers, eq(carriers.id, numberTenures.carrierId)).where(eq(numberTenures.number, number));
    expect(row?.number_tenures.source).toBe("self_declared");
    expect(row?.carriers.code).toBe("cucc");
  });

  it("refuses future dates, dates before 2000, and a second open tenure", async () => {
    const number = "+8618620008888";
    expect(await declareTenure(t.db, { ownerId: await o(number), number, startedAt: new Date("2027-01-01"), now })).toEqual({ ok: false, error: "future" });
    expect(await declareTenure(t.db, { ownerId: await o(number), number, startedAt: new Date("1999-12-01"), now })).toEqual({ ok: false, error: "too_old" });
    expect(await declareTenure(t.db, { ownerId: await o(number), number, startedAt: new Date("2024-01-01"), now })).toEqual({ ok: true });
    expect(await declareTenure(t.db, { ownerId: await o(number), number, startedAt: new Date("2024-06-01"), now })).toEqual({ ok: false, error: "exists" });
    // A number with a carrier record cannot be overridden by a declaration either.
    expect(await declareTenure(t.db, { ownerId: await o("+8613800138000"), number: "+8613800138000", startedAt: new Date("2024-06-01"), now })).toEqual({ ok: false, error: "exists" });
  });
});

describe("correcting a self-declared tenure", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-28T10:00:00+08:00");
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());
  /** The owner row of a number (made on first use), as sign-in makes it. */
  const o = async (number: string) =>
    (await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now }).onConflictDoUpdate({ target: owners.number, set: { termsVersion: "t" } }).returning({ id: owners.id }))[0]!.id;

  const tenureOf = async (number: string) => (await t.db.select().from(numberTenures).where(eq(numberTenures.number, number)))[0]!;
  const corrections = (tenureId: string) =>
    t.db.select().from(auditLog).where(and(eq(auditLog.action, TENURE_CORRECTED), eq(auditLog.subjectId, tenureId))).orderBy(auditLog.id);

  it("changes the date, keeps it self-declared, and keeps the previous date in the audit log", async () => {
    const number = "+8618620007777";
    const first = new Date("2025-02-01T00:00:00+08:00");
    const corrected = new Date("2025-01-10T00:00:00+08:00");
    await declareTenure(t.db, { ownerId: await o(number), number, startedAt: first, now });
    const before = await tenureOf(number);

    expect(await correctTenure(t.db, { ownerId: await o(number), number, startedAt: corrected, now })).toEqual({ ok: true, previousStartedAt: first });
    const after = await tenureOf(number);
    expect(after).toMatchObject({ id: before.id, startedAt: corrected, source: "self_declared", carrierId: before.carrierId, endedAt: null });
    const [row] = await corrections(before.id);
    expect(row).toMatchObject({
      actorType: "owner",
      actorId: await o(number),
      subjectType: "number_tenure",
      at: now,
      metadata: { previousStartedAt: first.toISOString(), startedAt: corrected.toISOString(), source: "self_declared" },
    });
    // Nothing identifying in the record: dates only.
    expect(JSON.stringify(row)).not.toContain(number.slice(3));

    // A second correction records the date it replaced, the first correction's.
    const again = new Date("2025-01-12T00:00:00+08:00");
    expect(await correctTenure(t.db, { ownerId: await o(number), number, startedAt: again, now })).toEqual({ ok: true, previousStartedAt: corrected });
    expect((await corrections(before.id)).map((r) => r.metadata)).toEqual([
      { previousStartedAt: first.toISOString(), startedAt: corrected.toISOString(), source: "self_declared" },
      { previousStartedAt: corrected.toISOString(), startedAt: again.toISOString(), source: "self_declared" },
    ]);
  });

  it("refuses a carrier record, an agent's confirmation, a number with no record, and bad dates, changing nothing", async () => {
    const date = new Date("2025-06-01T00:00:00+08:00");
    // The seeded demo number has a carrier record.
    const carrierRecord = await t.db.select().from(numberTenures).where(eq(numberTenures.number, "+8613800138000"));
    const open = carrierRecord.find((r) => r.endedAt === null)!;
    expect(await correctTenure(t.db, { ownerId: await o("+8613800138000"), number: "+8613800138000", startedAt: date, now })).toEqual({ ok: false, error: "not_self_declared" });
    expect((await tenureOf("+8613800138000")).startedAt).toEqual(carrierRecord[0]!.startedAt);
    expect(await corrections(open.id)).toEqual([]);

    const confirmed = "+8618620007778";
    await declareTenure(t.db, { ownerId: await o(confirmed), number: confirmed, startedAt: new Date("2025-02-01"), now });
    await t.db.update(numberTenures).set({ source: "agent_confirmed" }).where(eq(numberTenures.number, confirmed));
    expect(await correctTenure(t.db, { ownerId: await o(confirmed), number: confirmed, startedAt: date, now })).toEqual({ ok: false, error: "not_self_declared" });

    expect(await correctTenure(t.db, { ownerId: await o("+8618620007779"), number: "+8618620007779", startedAt: date, now })).toEqual({ ok: false, error: "not_on_record" });

    const declared = "+8618620007780";
    const startedAt = new Date("2025-02-01T00:00:00+08:00");
    await declareTenure(t.db, { ownerId: await o(declared), number: declared, startedAt, now });
    expect(await correctTenure(t.db, { ownerId: await o(declared), number: declared, startedAt: new Date("2027-01-01"), now })).toEqual({ ok: false, error: "future" });
    expect(await correctTenure(t.db, { ownerId: await o(declared), number: declared, startedAt: new Date("1999-12-01"), now })).toEqual({ ok: false, error: "too_old" });
    expect(await correctTenure(t.db, { ownerId: await o(declared), number: declared, startedAt, now })).toEqual({ ok: false, error: "unchanged" });
    expect((await tenureOf(declared)).startedAt).toEqual(startedAt);
    expect(await corrections((await tenureOf(declared)).id)).toEqual([]);
  });
});

describe("a self-declared tenure start is a tenure_review case for customer service", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-28T10:00:00+08:00");
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());
  const o = async (number: string) =>
    (await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now }).onConflictDoUpdate({ target: owners.number, set: { termsVersion: "t" } }).returning({ id: owners.id }))[0]!.id;
  const reviews = async (tenureId: string) => t.db.select().from(agentCases).where(and(eq(agentCases.kind, "tenure_review"), eq(agentCases.tenureId, tenureId)));

  it("opens one on a declaration, with the tenure's carrier, and none for a refused one", async () => {
    const number = "+8618620006666";
    const ownerId = await o(number);
    expect(await declareTenure(t.db, { ownerId, number, startedAt: new Date("2025-02-01"), now })).toEqual({ ok: true });
    const [tenure] = await t.db.select().from(numberTenures).where(eq(numberTenures.number, number));
    const [review] = await reviews(tenure!.id);
    expect(review).toMatchObject({ kind: "tenure_review", status: "open", ownerId, carrierId: tenure!.carrierId, createdAt: now });
    expect((await caseTimeline(t.db, review!.id)).map((e) => e.kind)).toEqual(["opened"]);
    // Refused: nothing opened.
    expect(await declareTenure(t.db, { ownerId, number, startedAt: new Date("2025-03-01"), now })).toEqual({ ok: false, error: "exists" });
    expect(await reviews(tenure!.id)).toHaveLength(1);
  });

  it("a correction while the review is active adds the owner's entry to it; after it is settled, opens a new one with it", async () => {
    const number = "+8618620006667";
    const ownerId = await o(number);
    await declareTenure(t.db, { ownerId, number, startedAt: new Date("2025-02-01T00:00:00+08:00"), now });
    const [tenure] = await t.db.select().from(numberTenures).where(eq(numberTenures.number, number));
    const describe = (previous: Date, next: Date) => `changed ${previous.toISOString()} to ${next.toISOString()}`;
    const corrected = new Date("2025-01-10T00:00:00+08:00");
    expect((await correctTenure(t.db, { ownerId, number, startedAt: corrected, now, describe })).ok).toBe(true);
    const [review, ...more] = await reviews(tenure!.id);
    expect(more).toEqual([]);
    expect(await caseTimeline(t.db, review!.id)).toMatchObject([
      { kind: "opened" },
      { kind: "owner_reply", actorId: null, text: `changed ${new Date("2025-02-01T00:00:00+08:00").toISOString()} to ${corrected.toISOString()}` },
    ]);

    // Customer service settled it; the owner corrects again: a new review, its first entry the correction (default words: the days).
    await t.db.update(agentCases).set({ status: "resolved", settledAt: now }).where(eq(agentCases.id, review!.id));
    expect((await correctTenure(t.db, { ownerId, number, startedAt: new Date("2025-01-12T00:00:00+08:00"), now })).ok).toBe(true);
    const open = (await reviews(tenure!.id)).filter((c) => c.settledAt === null);
    expect(open).toHaveLength(1);
    expect(open[0]!.id).not.toBe(review!.id);
    expect((await caseTimeline(t.db, open[0]!.id)).map((e) => [e.kind, e.text])).toEqual([
      ["opened", null],
      ["owner_reply", "2025-01-10 → 2025-01-12"],
    ]);
  });

  it("a refused correction opens or adds nothing", async () => {
    const number = "+8618620006668";
    const ownerId = await o(number);
    const startedAt = new Date("2025-02-01T00:00:00+08:00");
    await declareTenure(t.db, { ownerId, number, startedAt, now });
    const [tenure] = await t.db.select().from(numberTenures).where(eq(numberTenures.number, number));
    expect(await correctTenure(t.db, { ownerId, number, startedAt, now })).toEqual({ ok: false, error: "unchanged" });
    const [review] = await reviews(tenure!.id);
    expect((await caseTimeline(t.db, review!.id)).map((e) => e.kind)).toEqual(["opened"]);
  });
});
