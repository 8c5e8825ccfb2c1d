import { Readable } from "node:stream";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db";
import { agentCases, auditLog, carriers, numberEvents, numberTenures, owners } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { declareTenure } from "@/lib/tenure";
import { importCarrierRecords } from "./import";

const now = new Date("2026-11-28T10:00:00+08:00");
const HEADER = "number,carrier,event,date,event_id";
const csv = (...lines: string[]) => Readable.from([[HEADER, ...lines].join("\n") + "\n"]);

describe("importing carrier records", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  const run = (...lines: string[]) => importCarrierRecords(t.db, csv(...lines), { now });
  const tenures = (number: string) =>
    t.db
      .select({ startedAt: numberTenures.startedAt, endedAt: numberTenures.endedAt, source: numberTenures.source, simChangedAt: numberTenures.simChangedAt, carrier: carriers.code, id: numberTenures.id })
      .from(numberTenures)
      .leftJoin(carriers, eq(carriers.id, numberTenures.carrierId))
      .where(eq(numberTenures.number, number))
      .orderBy(asc(numberTenures.startedAt));
  const eventsOf = (number: string) => t.db.select().from(numberEvents).where(eq(numberEvents.number, number));
  const d = (s: string) => new Date(`${s}T00:00:00+08:00`);

  it("opens, closes and SIM-changes tenures in date order, whatever the file's order", async () => {
    const result = await run(
      "13900000001,cmcc,sim_changed,2024-05-01,",
      "13900000001,cmcc,cancelled,2024-09-01,",
      "13900000001,cmcc,activated,2023-01-01,",
      "13900000001,cmcc,reissued,2024-12-01,",
      "13900000001,cucc,ported_out,2025-06-01,",
      "13900000001,cucc,ported_in,2025-06-02,",
    );
    expect(result).toMatchObject({ rows: 6, imported: 6, alreadyOnRecord: 0, problems: [], tenures: { opened: 3, closed: 2, simChanged: 1 }, reviews: 0 });
    expect((await tenures("+8613900000001")).map(({ id: _, ...r }) => r)).toEqual([
      { startedAt: d("2023-01-01"), endedAt: d("2024-09-01"), source: "carrier_record", simChangedAt: d("2024-05-01"), carrier: "cmcc" },
      { startedAt: d("2024-12-01"), endedAt: d("2025-06-01"), source: "carrier_record", simChangedAt: null, carrier: "cmcc" },
      { startedAt: d("2025-06-02"), endedAt: null, source: "carrier_record", simChangedAt: null, carrier: "cucc" },
    ]);
    expect(await eventsOf("+8613900000001")).toHaveLength(6);
  });

  it("continues a number's existing record: a reissue closes the seeded open tenure at its date", async () => {
    const result = await run("18620001234,cucc,cancelled,2026-10-01,seed-1", "18620001234,cucc,reissued,2026-11-01,seed-2");
    expect(result.problems).toEqual([]);
    const rows = await tenures("+8618620001234");
    expect(rows.map((r) => [r.startedAt, r.endedAt])).toEqual([
      [new Date("2024-09-02T09:00:00+08:00"), d("2026-10-01")],
      [d("2026-11-01"), null],
    ]);
  });

  it("changes nothing when the same file is imported again", async () => {
    const lines = ["13900000002,ctcc,activated,2024-01-01,", "13900000002,ctcc,sim_changed,2024-03-01T12:00:00+08:00,sim-2"];
    await run(...lines);
    const audit = () => t.db.select().from(auditLog).where(eq(auditLog.action, "records.imported"));
    const before = { tenures: await tenures("+8613900000002"), events: await eventsOf("+8613900000002"), audit: await audit() };
    const again = await run(...lines);
    expect(again).toMatchObject({ imported: 0, alreadyOnRecord: 2, problems: [], tenures: { opened: 0, closed: 0, simChanged: 0 } });
    expect(await tenures("+8613900000002")).toEqual(before.tenures);
    expect(await eventsOf("+8613900000002")).toEqual(before.events);
    expect(await audit()).toEqual(before.audit);
  });

  it("imports the good rows and reports the bad ones; an event id on record with other contents is refused", async () => {
    const result = await run("13900000003,cmcc,activated,2024-01-01,p-1", "13900000004,cmcc,activated,2099-01-01,p-2", "13900000005,nope,activated,2024-01-01,p-3", "13900000006,ctcc,cancelled,2024-01-01,sim-2");
    expect(result.imported).toBe(1);
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [3, "date"],
      [4, "carrier"],
      [5, "event_id"],
    ]);
    expect(await tenures("+8613900000003")).toHaveLength(1);
    expect(await eventsOf("+8613900000004")).toHaveLength(0);
    expect(await eventsOf("+8613900000006")).toHaveLength(0);
  });

  it("refuses an event older than the number's record, and leaves its history as it was", async () => {
    await run("13900000007,cmcc,activated,2024-01-01,o-1", "13900000007,cmcc,cancelled,2025-01-01,o-2", "13900000007,cmcc,reissued,2025-06-01,o-3");
    const before = await tenures("+8613900000007");
    const result = await run("13900000007,cmcc,sim_changed,2024-06-01,o-4", "13900000007,cmcc,ported_in,2025-06-01,o-5", "13900000007,cmcc,sim_changed,2025-07-01,o-6");
    expect(result.imported).toBe(1);
    expect(result.problems).toMatchObject([
      { row: 2, column: "date", reason: expect.stringContaining("date order") },
      { row: 3, column: "date", reason: expect.stringContaining("date order") },
    ]);
    const after = await tenures("+8613900000007");
    expect(after).toEqual([before[0], { ...before[1], simChangedAt: d("2025-07-01") }]);
    expect(after[1]).toMatchObject({ startedAt: d("2025-06-01"), endedAt: null });
    expect(await eventsOf("+8613900000007")).toHaveLength(4);
    // A tenure on record without events (the seed's) is a floor as well.
    const seeded = await run("18620001234,cucc,activated,2024-01-01,o-7");
    expect(seeded.problems).toMatchObject([{ row: 2, column: "date", reason: expect.stringContaining("date order") }]);
  });

  it("makes a self-declared tenure the carrier's record; a different start opens one tenure_review case", async () => {
    const declare = async (number: string, startedAt: Date) => {
      const [o] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now }).returning({ id: owners.id });
      expect(await declareTenure(t.db, { ownerId: o!.id, number, startedAt, now })).toEqual({ ok: true });
      const [tenure] = await tenures(number);
      // declareTenure opens its own review; settle it to see what the import opens.
      await t.db.update(agentCases).set({ status: "closed", settledAt: now }).where(eq(agentCases.tenureId, tenure!.id));
      return tenure!.id;
    };
    const agreeing = await declare("+8613900000008", d("2025-03-01"));
    const differing = await declare("+8613900000009", d("2025-03-01"));
    const result = await run("13900000008,cmcc,activated,2025-03-01T15:00:00+08:00,s-1", "13900000009,cmcc,activated,2024-11-11,s-2", "13900000009,cmcc,sim_changed,2025-04-01,s-3");
    expect(result).toMatchObject({ imported: 3, problems: [], reviews: 1 });

    expect(await tenures("+8613900000008")).toMatchObject([{ id: agreeing, source: "carrier_record", startedAt: new Date("2025-03-01T15:00:00+08:00"), endedAt: null }]);
    expect(await tenures("+8613900000009")).toMatchObject([{ id: differing, source: "carrier_record", startedAt: d("2024-11-11"), endedAt: null, simChangedAt: d("2025-04-01") }]);
    const open = (tenureId: string) => t.db.select().from(agentCases).where(and(eq(agentCases.tenureId, tenureId), eq(agentCases.kind, "tenure_review"), eq(agentCases.status, "open")));
    expect(await open(agreeing)).toHaveLength(0);
    const [review] = await open(differing);
    expect(review).toMatchObject({ detail: "carrier_record_differs" });
    expect(review!.ownerId).not.toBeNull();
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "tenure.carrier_record"), eq(auditLog.subjectId, differing)));
    expect(audit!.metadata).toEqual({ declaredStartedAt: d("2025-03-01").toISOString(), recordedStartedAt: d("2024-11-11").toISOString() });
  });

  it("leaves a self-declared holding alone for an end dated before it, and ends it for one after", async () => {
    const number = "+8613900000010";
    const [o] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now }).returning({ id: owners.id });
    await declareTenure(t.db, { ownerId: o!.id, number, startedAt: d("2025-03-01"), now });
    await run("13900000010,cmcc,cancelled,2025-01-01,x-1");
    expect(await tenures(number)).toMatchObject([{ source: "self_declared", endedAt: null }]);
    await run("13900000010,cmcc,ported_out,2025-08-01,x-2");
    expect(await tenures(number)).toMatchObject([{ source: "self_declared", endedAt: d("2025-08-01") }]);
  });

  it("writes nothing when the import fails part-way (one transaction)", async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `1370000${String(i).padStart(4, "0")},cmcc,activated,2024-01-01,`);
    const failing = importCarrierRecords(t.db, csv(...lines), {
      now,
      progress: () => {
        throw new Error("interrupted after the first chunk");
      },
    });
    await expect(failing).rejects.toThrow("interrupted");
    expect(await queryRows(t.db, sql`select count(*)::int as n from ${numberEvents} where ${numberEvents.number} like '+86137000%'`)).toEqual([{ n: 0 }]);
    expect(await tenures("+8613700000000")).toHaveLength(0);
  });
});
