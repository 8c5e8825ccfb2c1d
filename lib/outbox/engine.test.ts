import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outbox } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { createDispatcher } from "./engine";
import { defineKind, type OutboxDeps, type OutboxRegistry } from "./types";

/**
 * The engine with a registry of test kinds: what a new kind gets by being one handler file, and
 * the engine's own rules (one context query per claim, settling in batches, a slow message
 * holding only itself, a lost lease settling nothing). Domain kinds are tested with their domain
 * (lib/unbind/unbind.test.ts, lib/reports/reports.test.ts) and under concurrency here
 * (concurrency.test.ts).
 */
describe("the outbox engine with a registered kind", () => {
  let t: TestDatabase;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const log = { loads: [] as number[], sent: [] as string[], delivered: [] as { id: string; at: number }[], failed: [] as string[] };
  let behaviour: (id: string) => Promise<"accepted" | "final" | "retry"> = async () => "accepted";

  const testKind = defineKind({
    missing: "missing_thing",
    async load(_db, rows) {
      log.loads.push(rows.length);
      return new Map(rows.filter((r) => !r.messageId.startsWith("00000000")).map((r) => [r.messageId, { id: r.messageId }]));
    },
    async send({ ctx }) {
      log.sent.push(ctx.id);
      const outcome = await behaviour(ctx.id);
      return outcome === "accepted" ? { kind: "accepted" } : outcome === "final" ? { kind: "final", label: "http_400" } : { kind: "retry", label: "http_503" };
    },
    async delivered(_tx, deliveries) {
      for (const d of deliveries) log.delivered.push({ id: d.ctx.id, at: performance.now() });
    },
    async failed(_tx, { ctx }, { reason }) {
      log.failed.push(`${ctx.id}:${reason}`);
    },
  });
  // Every kind the database knows needs a handler; here they all share the test kind.
  const registry: OutboxRegistry<OutboxDeps> = { unbind_request: testKind, owner_sms: testKind, wrong_party_report: testKind, platform_event: testKind, case_reply_sms: testKind };
  const dispatcher = createDispatcher(registry);
  let deps: OutboxDeps;

  beforeAll(async () => {
    t = await createTestDatabase();
    deps = { db: t.db, clock, random: () => 0.5 };
  });
  afterAll(async () => {
    await t?.dispose();
  });
  beforeEach(async () => {
    await t.db.delete(outbox);
    log.loads.length = 0;
    log.sent.length = 0;
    log.delivered.length = 0;
    log.failed.length = 0;
    behaviour = async () => "accepted";
  });

  async function queue(n: number, ids: string[] = []) {
    const all = [...ids, ...Array.from({ length: n }, () => randomUUID())];
    await t.db.insert(outbox).values(all.map((messageId) => ({ kind: "owner_sms" as const, messageId, platformId: null, nextAttemptAt: clock.now(), createdAt: clock.now() })));
    return all;
  }
  const rows = () => t.db.select().from(outbox);

  it("loads the context of a whole claim in one call and settles each outcome", async () => {
    const [missing, refused, flaky, ...fine] = await queue(5, ["00000000-0000-4000-8000-000000000000", randomUUID(), randomUUID()]);
    behaviour = async (id) => (id === refused ? "final" : id === flaky ? "retry" : "accepted");
    expect(await dispatcher.dispatchOnce(deps, { limit: 32 })).toEqual({ claimed: 8, delivered: 5, retrying: 1, failed: 2 });
    expect(log.loads).toEqual([8]);
    expect(log.delivered.map((d) => d.id).sort()).toEqual([...fine].sort());
    expect(log.failed).toEqual([`${refused}:http_400`]); // the missing one is dropped, not given up on
    const byId = new Map((await rows()).map((r) => [r.messageId, r]));
    expect(byId.get(missing!)).toMatchObject({ status: "dead", lastError: "missing_thing" });
    expect(byId.get(refused!)).toMatchObject({ status: "dead", lastError: "http_400" });
    expect(byId.get(flaky!)).toMatchObject({ status: "pending", attempts: 1, lastError: "http_503", lockedUntil: null });
    expect(byId.get(flaky!)!.nextAttemptAt.getTime() - clock.now().getTime()).toBe(10_000);
    expect(fine.every((id) => byId.get(id)?.status === "delivered")).toBe(true);
  });

  it("shortens the retry schedule by retryScale (OUTBOX_RETRY_SCALE, test runs only)", async () => {
    const [flaky] = await queue(0, [randomUUID()]);
    behaviour = async () => "retry";
    await dispatcher.dispatchOnce({ ...deps, retryScale: 0.001 });
    const [row] = await rows();
    expect(row).toMatchObject({ messageId: flaky, status: "pending", attempts: 1 });
    // 10 s, the first step, times 0.001 (the jitter is 0.5: none).
    expect(row!.nextAttemptAt.getTime() - clock.now().getTime()).toBe(10);
  });

  it("does not let a slow message hold the others: the rest are claimed and settled while it is out", async () => {
    const [slow] = await queue(40, [randomUUID()]);
    let slowDone = 0;
    behaviour = async (id) => {
      if (id !== slow) return "accepted";
      await new Promise((r) => setTimeout(r, 1500));
      slowDone = performance.now();
      return "accepted";
    };
    const summary = await dispatcher.drain(deps, { concurrency: 4 });
    expect(summary).toMatchObject({ claimed: 41, delivered: 41 });
    const fast = log.delivered.filter((d) => d.id !== slow);
    expect(fast).toHaveLength(40);
    // Rounds of 4 would have waited for the slow one before claiming the next 3.
    expect(Math.max(...fast.map((d) => d.at))).toBeLessThan(slowDone);
    expect(summary.claims).toBeGreaterThan(10);
  });

  it("settles nothing for a dispatcher whose lease ran out and was claimed by another", async () => {
    const [id] = await queue(1);
    behaviour = async () => {
      // Meanwhile the lease expired and another dispatcher claimed the row (a new lease).
      await t.db.update(outbox).set({ lockedUntil: new Date(clock.now().getTime() + 99_000) }).where(eq(outbox.messageId, id!));
      return "accepted";
    };
    await dispatcher.dispatchOnce(deps);
    expect(log.delivered).toEqual([]);
    const [row] = await rows();
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("settles many rows in a few statements: rows finishing together share one settling batch", async () => {
    await queue(30);
    let deliveredCalls = 0;
    const counted = defineKind({
      missing: "missing_thing",
      load: async (_db, claimed) => new Map(claimed.map((r) => [r.messageId, r.messageId])),
      send: async () => ({ kind: "accepted" }),
      delivered: async () => void deliveredCalls++,
    });
    const counting = { ...registry, owner_sms: counted };
    expect(await createDispatcher(counting).dispatchOnce(deps, { limit: 30 })).toMatchObject({ delivered: 30 });
    expect(deliveredCalls).toBeLessThanOrEqual(3);
  });
});

describe("the engine knows no domain", () => {
  it("imports nothing from lib/unbind, lib/reports, lib/cases or its own kinds: only the registry and the runners do", () => {
    const dir = path.join(process.cwd(), "lib/outbox");
    const engineFiles = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !["dispatch.ts", "runner.ts"].includes(f));
    expect(engineFiles.sort()).toEqual(["claim.ts", "engine.ts", "platform.ts", "rearm.ts", "retry.ts", "settle.ts", "types.ts"]);
    for (const file of engineFiles) {
      const source = readFileSync(path.join(dir, file), "utf8");
      expect(source, file).not.toMatch(/from "(@\/lib\/(unbind|reports|cases)|\.\/kinds)/);
    }
  });
});
