import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupResults, lookups, numberTenures, owners, platforms, unbindBatches, unbindItems, type UnbindStatus } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { RETRY_DELAYS_MS } from "@/lib/outbox/retry";
import { notRequestedPlatforms, ownerBatchList, WAITING_DEADLINES } from "./queries";
import { SILENCE_BEFORE_CASE_MS } from "./silence";

describe("unbind page queries", () => {
  let t: TestDatabase;
  let ownerId: string;
  let otherOwnerId: string;
  let tenureId: string;
  let idOf: Map<string, string>;
  const at = (iso: string) => new Date(iso);

  async function lookup(startedAt: string, bound: string[]) {
    const [row] = await t.db
      .insert(lookups)
      .values({ ownerId, tenureId, tenureStart: at("2026-01-01T00:00:00Z"), startedAt: at(startedAt), completedAt: at(startedAt) })
      .returning({ id: lookups.id });
    await t.db.insert(lookupResults).values(
      [...idOf].map(([slug, platformId]) => ({ lookupId: row!.id, platformId, status: bound.includes(slug) ? ("bound_before_tenure" as const) : ("not_bound" as const) })),
    );
  }

  async function batch(owner: string, createdAt: string, items: [slug: string, status: UnbindStatus][]) {
    const [row] = await t.db
      .insert(unbindBatches)
      .values({ ownerId: owner, tenureId, selection: `${createdAt}:${items.map(([s]) => s).join(",")}`, createdAt: at(createdAt), verifiedAt: at(createdAt) })
      .returning({ id: unbindBatches.id });
    await t.db.insert(unbindItems).values(items.map(([slug, status]) => ({ batchId: row!.id, platformId: idOf.get(slug)!, status, updatedAt: at(createdAt) })));
    return row!.id;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const [tenure] = await t.db.select({ id: numberTenures.id }).from(numberTenures).where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    const [owner] = await t.db.insert(owners).values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: at("2026-11-01T00:00:00Z") }).returning({ id: owners.id });
    ownerId = owner!.id;
    const [other] = await t.db.insert(owners).values({ number: "+8613900000001", termsVersion: "test", termsAcceptedAt: at("2026-11-01T00:00:00Z") }).returning({ id: owners.id });
    otherOwnerId = other!.id;
    idOf = new Map((await t.db.select({ id: platforms.id, slug: platforms.slug }).from(platforms)).map((p) => [p.slug, p.id]));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("the deadlines are the outbox's retry schedule and the silence rule's", () => {
    expect(WAITING_DEADLINES.silenceMs).toBe(SILENCE_BEFORE_CASE_MS);
    expect(WAITING_DEADLINES.retryForMs).toBe(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0));
  });

  it("lists nothing before any look-up or batch", async () => {
    expect(await notRequestedPlatforms(t.db, ownerId, tenureId)).toEqual([]);
    expect(await ownerBatchList(t.db, ownerId, tenureId)).toEqual([]);
  });

  it("names the bound platforms of the latest look-up that no batch asked", async () => {
    await lookup("2026-11-02T00:00:00Z", ["linkup-chat", "swift-ride", "daily-mall", "easy-credit"]);
    const first = await batch(ownerId, "2026-11-03T00:00:00Z", [
      ["linkup-chat", "unbound"],
      ["swift-ride", "rejected"],
    ]);
    // Another owner's batch for the same platform does not count as this owner's request.
    await batch(otherOwnerId, "2026-11-03T00:00:00Z", [["daily-mall", "accepted"]]);
    const left = await notRequestedPlatforms(t.db, ownerId, tenureId);
    expect(left.sort()).toEqual([idOf.get("daily-mall"), idOf.get("easy-credit")].sort());

    // A later look-up decides what is bound now; a platform asked in any batch drops out.
    await lookup("2026-11-04T00:00:00Z", ["swift-ride", "daily-mall", "quick-loan"]);
    await batch(ownerId, "2026-11-05T00:00:00Z", [["daily-mall", "queued"]]);
    expect(await notRequestedPlatforms(t.db, ownerId, tenureId)).toEqual([idOf.get("quick-loan")]);

    const list = await ownerBatchList(t.db, ownerId, tenureId);
    expect(list.map((b) => b.createdAt.toISOString())).toEqual(["2026-11-05T00:00:00.000Z", "2026-11-03T00:00:00.000Z"]);
    expect(list[1]!.id).toBe(first);
    expect(list[1]!.items.map((i) => [i.platformId, i.status]).sort()).toEqual(
      [
        [idOf.get("linkup-chat"), "unbound"],
        [idOf.get("swift-ride"), "rejected"],
      ].sort(),
    );
    expect(list[0]!.items).toEqual([{ platformId: idOf.get("daily-mall"), status: "queued" }]);
    // Only the owner's own batches.
    expect((await ownerBatchList(t.db, otherOwnerId, tenureId)).map((b) => b.items.length)).toEqual([1]);
  });
});
