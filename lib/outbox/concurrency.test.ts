import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db";
import { lookupResults, lookups, numberTenures, outbox, owners, platforms, unbindItems } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { startPartnerServer, type PartnerServer } from "@/sandbox/partner/server";
import { systemClock } from "@/lib/clock";
import type { EgressPolicy } from "@/lib/platforms/egress";
import { generateSigningJwk, loadSigningKeys, publicJwks, type SigningKey } from "@/lib/platforms/keys";
import { createBatch } from "@/lib/unbind/batch";
import { dispatchOnce, type DispatchDeps } from "./dispatch";

/**
 * Several dispatchers on one Postgres database, and one killed mid-batch. Postgres only: PGlite is
 * one process with one connection, so there is nothing concurrent to test there.
 */
const DEV_POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };
const OWNERS = 20;

describe.skipIf(!process.env.DATABASE_URL)("outbox dispatchers on one Postgres database", () => {
  let t: TestDatabase;
  let partner: PartnerServer;
  let keys: SigningKey[];
  let jwk: string;
  let itemIds: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const jwks = [await generateSigningJwk("concurrency")];
    jwk = JSON.stringify(jwks);
    keys = await loadSigningKeys(jwk);
    partner = await startPartnerServer({ jwks: await publicJwks(keys), callbackUrl: "http://127.0.0.1:9/unused" });
  });
  afterAll(async () => {
    await partner?.close();
    await t?.dispose();
  });

  /** OWNERS owners × every platform: 240 queued items, each with its outbox row. */
  async function queueItems() {
    await t.db.delete(outbox);
    const all = await t.db.select({ id: platforms.id }).from(platforms);
    const now = new Date();
    itemIds = [];
    for (let i = 0; i < OWNERS; i++) {
      const number = `+86137${String(10_000_000 + i + Math.floor(Math.random() * 1000) * 100).slice(-8)}`;
      const [owner] = await t.db.insert(owners).values({ number, termsVersion: "t", termsAcceptedAt: now, lastVerifiedAt: now }).onConflictDoNothing().returning({ id: owners.id });
      if (!owner) continue;
      const [tenure] = await t.db.insert(numberTenures).values({ number, startedAt: new Date("2026-01-01T00:00:00Z"), source: "carrier_record" }).returning({ id: numberTenures.id });
      const [lookup] = await t.db.insert(lookups).values({ ownerId: owner.id, tenureId: tenure!.id, tenureStart: new Date("2026-01-01T00:00:00Z"), startedAt: now }).returning({ id: lookups.id });
      await t.db.insert(lookupResults).values(all.map((p) => ({ lookupId: lookup!.id, platformId: p.id, status: "bound_before_tenure" as const })));
      const created = await createBatch(t.db, { ownerId: owner.id, number, platformIds: all.map((p) => p.id), now });
      if (!created.ok) throw new Error(created.error);
      const rows = await t.db.select({ id: unbindItems.id }).from(unbindItems).where(eq(unbindItems.batchId, created.batchId));
      itemIds.push(...rows.map((r) => r.id));
    }
    // No callbacks: these tests count deliveries.
    partner.setKnobs("*", { latencyMs: 20, unbind: { callbacks: 0 } });
  }

  async function pending() {
    const rows = await t.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.kind, "unbind_request"), eq(outbox.status, "pending")));
    return rows.length;
  }

  beforeEach(() => partner.reset());

  it("two dispatchers with their own connection pools deliver every item exactly once to the platform", async () => {
    await queueItems();
    expect(itemIds.length).toBeGreaterThanOrEqual(200);
    const handles: DatabaseHandle[] = [await openDatabase({ databaseUrl: t.url! }), await openDatabase({ databaseUrl: t.url! })];
    try {
      const run = async (handle: DatabaseHandle) => {
        const deps: DispatchDeps = { db: handle.db, clock: systemClock, policy: DEV_POLICY, env: { SANDBOX_PARTNER_URL: partner.url }, keys, timeoutMs: 5000 };
        let rounds = 0;
        while ((await dispatchOnce(deps, { limit: 16 })).claimed > 0) rounds++;
        return rounds;
      };
      const rounds = await Promise.all(handles.map(run));
      expect(rounds.every((r) => r > 0)).toBe(true); // both really took part
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect(await pending()).toBe(0);
    const received = partner.stats().unbinds;
    expect(Object.keys(received).sort()).toEqual([...itemIds].sort());
    expect(Object.values(received).every((n) => n === 1)).toBe(true);
  });

  it("a worker process killed mid-batch and started again loses nothing", async () => {
    await queueItems();
    partner.setKnobs("*", { latencyMs: 250, unbind: { callbacks: 0 } });
    const env = {
      ...process.env,
      NODE_ENV: "test" as const,
      DATABASE_URL: t.url!,
      SANDBOX_PARTNER_URL: partner.url,
      ATTESTATION_PRIVATE_KEYS: jwk,
      DISPATCH_INTERVAL_MS: "100",
      DISPATCH_TIMEOUT_MS: "2000",
      DISPATCH_LEASE_MS: "3000",
      SMS_PROVIDER: "dev",
    };
    const start = () => spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/worker.ts"], { env, stdio: "ignore" });
    const delivered = () => Object.keys(partner.stats().unbinds).length;
    const until = async (check: () => boolean | Promise<boolean>, ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };

    let worker: ChildProcess = start();
    try {
      expect(await until(() => delivered() >= 30, 30_000)).toBe(true);
      worker.kill("SIGKILL"); // no chance to finish the round or release its claims
      await new Promise((r) => worker.once("exit", r));
      const atKill = delivered();
      expect(atKill).toBeLessThan(itemIds.length);
      expect(await pending()).toBeGreaterThan(0);

      worker = start();
      expect(await until(async () => (await pending()) === 0, 60_000)).toBe(true);
    } finally {
      worker.kill("SIGKILL");
    }
    const received = partner.stats().unbinds;
    // Every item reached the platform; a request in flight at the kill may arrive twice (at least
    // once), which the platform absorbs: same requestId, same webhook-id.
    expect(Object.keys(received).sort()).toEqual([...itemIds].sort());
    const rows = await t.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.kind, "unbind_request"));
    expect(rows.every((r) => r.status === "delivered")).toBe(true);
    const items = await t.db.select({ status: unbindItems.status }).from(unbindItems).where(isNull(unbindItems.reason));
    expect(items.every((i) => i.status === "accepted")).toBe(true);
  }, 120_000);
});
