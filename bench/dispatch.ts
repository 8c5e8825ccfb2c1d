import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { PgDatabase, PgPreparedQuery } from "drizzle-orm/pg-core";
import { openDatabase, queryRows, type DatabaseHandle, type Db } from "../db";
import { migrateDatabase } from "../db/migrate";
import { platforms } from "../db/schema";
import { sandboxSigningSecret } from "../db/seed-data";
import { withDatabase } from "../db/testing";
import type { SandboxPlatform } from "../sandbox/partner/server";
import { startPartnerProcess } from "./lib/partner-process";
import { fakeClock } from "../lib/clock";
import { drainOutbox, type DispatchDeps, type DispatchSummary } from "../lib/outbox/dispatch";
import { TERMS_VERSION } from "../lib/otp/config";
import { issueAttestation } from "../lib/platforms/attestation";
import type { EgressPolicy } from "../lib/platforms/egress";
import { generateSigningJwk, loadSigningKeys, publicJwks, type SigningKey } from "../lib/platforms/keys";
import { signatureHeaders } from "../lib/platforms/signing";
import { adminQuery } from "./lib/postgres";

/**
 * Outbox delivery throughput (lib/outbox/): 10,000 unbind requests (500 owners × 20 sandbox
 * platforms) delivered to the reference partner server, which runs in a process of its own
 * (bench/lib/partner-process.ts: a platform is another machine, not a share of the dispatcher's
 * thread; loopback, same 2-core machine).
 * Reports items/s over wall time
 *  - with one dispatcher on PGlite (in memory), and with 1 and 2 dispatchers on Postgres;
 *  - the same with 20 % of the partner's answers a 503 (errorRate knob): every item must still end
 *    delivered, none accepted twice.
 * A dispatcher is `drainOutbox(deps, { concurrency: 64 })` called until it finds nothing due: up to 64
 * rows in flight, each settled as it finishes, more claimed while others are out. Two dispatchers
 * run in this process, concurrently, each with its own database handle (its own pg pool). The
 * partner sends no callbacks (`unbind.callbacks: 0`): this measures delivery only.
 *
 * The ceiling: before and after each scenario (the mean is used), the same partner server (a fresh one, same platforms and knobs
 * but no error rate) is loaded by autocannon with 10,000 unbind requests signed as the dispatcher
 * signs them (own requestId, attestation, Standard Webhooks signature; made before the clock
 * starts), over 64 kept-alive connections from this process. Its requests/s is what the partner
 * can take at all on this machine at that moment; dispatch items/s ÷ ceiling says how much of that
 * the dispatcher reaches.
 *
 * Statements: every query drizzle sends (PgPreparedQuery.queryWithCache) plus two per transaction
 * (begin, commit), counted during the dispatch phase, the bench's own probes excluded.
 *
 * Retries are due 10 s (then 1 min, 5 min, …) later. The dispatchers share a fake clock: when every
 * dispatcher has just found nothing due (so none is sending), the clock is moved to the next due row
 * plus POLL_MS (the in-process loop's poll interval, so a step picks up what a polling loop would),
 * and the loops carry on until no row is pending. Wall time is real time; no sleeping on the clock.
 *
 * The work is inserted with a few bulk statements (as `createBatch` would leave it: batch, items
 * `queued` with their first timeline entry, one pending outbox row per item).
 *
 * Database: PGlite in memory, and a fresh database per scenario on the Postgres server
 * (BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), dropped
 * at the end; Postgres scenarios are skipped when no server answers. Prints figures and asserts
 * nothing about timing; exits non-zero when an item is not delivered or is accepted twice.
 * BENCH_DISPATCH_ONLY=<engine>-<dispatchers>-<failure rate> (e.g. postgres-2-0.2) runs one scenario.
 * Benches are CPU-bound: the dispatchers and PGlite share this process's one thread, the partner
 * has its own, so figures move with the machine's load (printed with them).
 */
const OWNERS = 500;
const PLATFORMS = 20;
const ITEMS = OWNERS * PLATFORMS;
/** Rows in flight per dispatcher (and autocannon connections for the ceiling); BENCH_DISPATCH_CONCURRENCY overrides. */
const LIMIT = Number(process.env.BENCH_DISPATCH_CONCURRENCY) || 64;
const FAILURE_RATE = 0.2;
/** How far past the next due row the fake clock is moved: the in-process loop polls every 2 s. */
const POLL_MS = 2_000;
/** A dispatcher whose round claimed nothing waits this long before trying again (while another one works). */
const IDLE_WAIT_MS = 10;
const POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };
const TENURE_START = new Date("2026-03-15T10:30:00+08:00");
/** Nobody listens here: no callback is ever sent (`callbacks: 0`), but the partner refuses unbinds without an address. */
const NOWHERE = "http://127.0.0.1:9/api/partner/v1/unbind-results";

const slugs = Array.from({ length: PLATFORMS }, (_, i) => `bench-${String(i).padStart(2, "0")}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statements sent while `counting` (see the header). */
const statements = { counting: false, n: 0 };

/**
 * Counts on drizzle's classes. Under tsx this file is CommonJS while db/index.ts loads the drivers
 * with import(), so drizzle is loaded twice (its CommonJS and its ES module build): both are patched.
 */
async function countStatements() {
  for (const core of [{ PgDatabase, PgPreparedQuery }, await import("drizzle-orm/pg-core")]) {
    const prepared = core.PgPreparedQuery.prototype as unknown as { queryWithCache(...args: unknown[]): Promise<unknown>; __benchCounted?: true };
    if (prepared.__benchCounted) continue;
    prepared.__benchCounted = true;
    const query = prepared.queryWithCache;
    prepared.queryWithCache = function (this: unknown, ...args: unknown[]) {
      if (statements.counting) statements.n++;
      return query.apply(this, args);
    };
    const database = core.PgDatabase.prototype as unknown as { transaction(...args: unknown[]): Promise<unknown> };
    const transaction = database.transaction;
    database.transaction = function (this: unknown, ...args: unknown[]) {
      if (statements.counting) statements.n += 2;
      return transaction.apply(this, args);
    };
  }
}

interface Scenario {
  engine: "pglite" | "postgres";
  dispatchers: number;
  failureRate: number;
}

interface Row {
  scenario: Scenario;
  seconds: number;
  itemsPerSecond: number;
  /** Rounds' `retrying` (each a 503 the dispatcher will retry, or a thrown delivery). */
  retries: number;
  /** 503s the partner answered (its error-rate draws that hit). */
  partner503: number;
  received: number;
  accepted202: number;
  acceptedItems: number;
  acceptedEvents: number;
  outbox: { delivered: number; pending: number; dead: number };
  attempts: number;
  maxAttempts: number;
  maxReceived: number;
  /** Claims made (each a claim statement). */
  rounds: number;
  statements: number;
  ceiling: Ceiling;
  clockSteps: number;
  simulatedMinutes: number;
  setupSeconds: number;
  /** 1-min load average at the start and end of the dispatch phase. */
  load: [number, number];
  /** Outbox rows per number of attempts. */
  tries: Record<number, number>;
  allDelivered: boolean;
  noneTwice: boolean;
}

// ---------------------------------------------------------------------------------------------


/** The bench's platforms, owners with an open tenure, one batch each over all platforms, its items and outbox rows. */
async function prepare(db: Db, partnerUrl: string, now: Date) {
  await db.insert(platforms).values(
    slugs.map((slug, i) => ({
      slug,
      nameZh: `压测平台 ${i + 1}（沙盒）`,
      nameEn: `Bench platform ${i + 1} (sandbox)`,
      category: "social" as const,
      baseUrl: `${partnerUrl}/${slug}`,
      sandbox: true,
      signingSecrets: [sandboxSigningSecret(slug)],
    })),
  );
  const at = now.toISOString();
  const verifiedAt = new Date(now.getTime() - 60_000).toISOString();
  await db.execute(sql`
    insert into owners (number, terms_version, terms_accepted_at, last_sign_in_at, last_verified_at)
    select '+86139' || lpad((20000000 + g)::text, 8, '0'), ${TERMS_VERSION}, ${at}::timestamptz, ${verifiedAt}::timestamptz, ${verifiedAt}::timestamptz
    from generate_series(0, ${OWNERS - 1}::int) g`);
  await db.execute(sql`
    insert into number_tenures (number, started_at, source)
    select number, ${TENURE_START.toISOString()}::timestamptz, 'carrier_record' from owners`);
  await db.execute(sql`
    insert into unbind_batches (owner_id, tenure_id, selection, created_at, verified_at)
    select o.id, t.id, (select string_agg(id::text, ',' order by id::text) from platforms), ${at}::timestamptz, o.last_verified_at
    from owners o join number_tenures t on t.number = o.number and t.ended_at is null`);
  await db.execute(sql`
    insert into unbind_items (batch_id, platform_id, status, updated_at)
    select b.id, p.id, 'queued', ${at}::timestamptz from unbind_batches b cross join platforms p`);
  await db.execute(sql`insert into unbind_events (item_id, status, at) select id, 'queued', ${at}::timestamptz from unbind_items`);
  // In the order createBatch would write them: batch by batch, its items together.
  await db.execute(sql`
    insert into outbox (kind, message_id, platform_id, next_attempt_at, created_at)
    select 'unbind_request', i.id, i.platform_id, ${at}::timestamptz, ${at}::timestamptz
    from unbind_items i join unbind_batches b on b.id = i.batch_id order by b.created_at, b.id, i.platform_id`);
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox where status = 'pending'`);
  if (count?.n !== ITEMS) throw new Error(`bench/dispatch: expected ${ITEMS} outbox rows, inserted ${count?.n}`);
}

/** When the next pending row can be claimed (due and not leased), epoch ms; null when none is pending. */
async function nextDue(db: Db): Promise<number | null> {
  const [row] = await queryRows<{ pending: number; next: number | null }>(
    db,
    sql`select count(*)::int as pending,
          (extract(epoch from min(greatest(next_attempt_at, coalesce(locked_until, next_attempt_at)))) * 1000)::float8 as next
        from outbox where status = 'pending'`,
  );
  return row && row.pending > 0 ? Number(row.next) : null;
}

/**
 * Runs `deps.length` dispatcher loops at once until no row is pending. The clock only moves while
 * every loop is between rounds (none holds a lease) and none may start one, so a lease never
 * expires under a sending dispatcher.
 */
async function runDispatchers(depsList: DispatchDeps[], clock: ReturnType<typeof fakeClock>, probe: Db) {
  const total: DispatchSummary = { claimed: 0, delivered: 0, retrying: 0, failed: 0 };
  const idle = depsList.map(() => false);
  const state = { advancing: false, done: false, rounds: 0, clockSteps: 0 };
  const start = clock.now().getTime();

  const loop = async (i: number, deps: DispatchDeps) => {
    while (!state.done) {
      if (state.advancing) {
        await sleep(1);
        continue;
      }
      idle[i] = false;
      const round = await drainOutbox(deps, { budgetMs: Infinity, concurrency: LIMIT });
      state.rounds += round.claims;
      for (const key of Object.keys(total) as (keyof DispatchSummary)[]) total[key] += round[key];
      if (round.claimed > 0) continue;
      idle[i] = true;
      if (!idle.every(Boolean) || state.advancing) {
        await sleep(IDLE_WAIT_MS);
        continue;
      }
      state.advancing = true;
      try {
        const counting = statements.counting;
        statements.counting = false;
        const next = await nextDue(probe).finally(() => (statements.counting = counting));
        if (next === null) state.done = true;
        else {
          clock.set(new Date(Math.max(clock.now().getTime(), next) + POLL_MS));
          state.clockSteps++;
          idle.fill(false);
        }
      } finally {
        state.advancing = false;
      }
    }
  };

  await Promise.all(depsList.map((deps, i) => loop(i, deps)));
  return { total, rounds: state.rounds, clockSteps: state.clockSteps, simulatedMinutes: (clock.now().getTime() - start) / 60_000 };
}

interface Engine {
  /** Handles: the first also seeds and checks; one per dispatcher. */
  handles: DatabaseHandle[];
  dispose(): Promise<void>;
}

async function openPostgres(serverUrl: string, name: string, count: number): Promise<Engine> {
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  const handles: DatabaseHandle[] = [];
  try {
    for (let i = 0; i < count; i++) handles.push(await openDatabase({ databaseUrl: url }));
  } catch (error) {
    await Promise.all(handles.map((h) => h.close()));
    await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    throw error;
  }
  return {
    handles,
    async dispose() {
      await Promise.all(handles.map((h) => h.close()));
      // pg's pool.end() resolves before its sockets are closed: let them go before dropping the database.
      await sleep(250);
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function openPglite(): Promise<Engine> {
  const handle = await openDatabase({ pgliteDir: "memory://" });
  return { handles: [handle], dispose: () => handle.close() };
}

interface Ceiling {
  requestsPerSecond: number;
  /** Before and after the scenario, when averaged. */
  each?: [number, number];
  requests: number;
  accepted: number;
  errors: number;
  seconds: number;
}

/**
 * The partner server's own capacity for the bench's requests: ITEMS unbind requests, each with its
 * own requestId, attestation and signature as the dispatcher makes them, fired by autocannon over
 * LIMIT kept-alive connections at a fresh partner server (same platforms, no error rate).
 */
async function measureCeiling(keys: SigningKey[]): Promise<Ceiling> {
  const knobs = { unbind: { callbacks: 0, delayMs: 0 } };
  const partner = await startPartnerProcess({
    platforms: slugs.map((slug) => ({ slug, secret: sandboxSigningSecret(slug), knobs })),
    bindings: {},
    callbackUrl: NOWHERE,
    jwks: await publicJwks(keys),
  });
  try {
    const verifiedAt = new Date(Date.now() - 60_000);
    const requests = await Promise.all(
      Array.from({ length: ITEMS }, async (_, i) => {
        const slug = slugs[i % PLATFORMS]!;
        const number = `+86139${String(20_000_000 + Math.floor(i / PLATFORMS)).padStart(8, "0")}`;
        const requestId = randomUUID();
        const { token } = await issueAttestation(
          { platform: slug, number, tenureStart: TENURE_START, tenureSource: "carrier_record", otpVerifiedAt: verifiedAt, simChangedAt: null },
          { keys },
        );
        const body = JSON.stringify({ requestId, number, tenureStart: TENURE_START.toISOString(), attestation: token });
        return {
          path: `/${slug}/unbind`,
          headers: { "content-type": "application/json", ...signatureHeaders(sandboxSigningSecret(slug), body, { id: requestId }) },
          body,
        };
      }),
    );
    let next = 0;
    const result = await autocannon({
      url: partner.url,
      connections: LIMIT,
      amount: ITEMS,
      requests: [{ method: "POST", setupRequest: (request) => ({ ...request, method: "POST", ...requests[next++ % requests.length]! }) }],
    });
    const seconds = result.duration;
    const accepted = Object.values((await partner.stats()).unbinds).length;
    return { requestsPerSecond: result.requests.total / seconds, requests: result.requests.total, accepted, errors: result.errors + result.non2xx, seconds };
  } finally {
    await partner.close();
  }
}

async function runScenario(scenario: Scenario, engine: Engine, keys: SigningKey[]): Promise<Row> {
  const before = await measureCeiling(keys);
  const knobs = { errorRate: scenario.failureRate || undefined, unbind: { callbacks: 0, delayMs: 0 } };
  const benchPlatforms: SandboxPlatform[] = slugs.map((slug) => ({ slug, secret: sandboxSigningSecret(slug), knobs }));
  // Its own process: a platform is another machine, not a share of the dispatcher's thread.
  const partner = await startPartnerProcess({
    platforms: benchPlatforms,
    bindings: {},
    callbackUrl: NOWHERE,
    jwks: await publicJwks(keys),
    failureRate: scenario.failureRate,
  });
  try {
    const [main] = engine.handles;
    const db = main!.db;
    const setupStarted = performance.now();
    await migrateDatabase(main!);
    const clock = fakeClock(new Date());
    await prepare(db, partner.url, clock.now());
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const depsList: DispatchDeps[] = engine.handles.slice(0, scenario.dispatchers).map((h) => ({
      db: h.db,
      clock,
      policy: POLICY,
      env: { SANDBOX_PARTNER_URL: partner.url },
      keys,
    }));
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    statements.n = 0;
    statements.counting = true;
    const run = await runDispatchers(depsList, clock, db).finally(() => (statements.counting = false));
    const seconds = (performance.now() - started) / 1000;
    const load: [number, number] = [loadBefore, loadavg()[0]!];

    const stats = await partner.stats();
    const partner503 = stats.errors503;
    const perItem = Object.values(stats.unbinds);
    const received = perItem.reduce((a, b) => a + b, 0);
    const [o] = await queryRows<{ delivered: number; pending: number; dead: number; attempts: number; max_attempts: number }>(
      db,
      sql`select (count(*) filter (where status = 'delivered'))::int as delivered, (count(*) filter (where status = 'pending'))::int as pending,
            (count(*) filter (where status = 'dead'))::int as dead, coalesce(sum(attempts), 0)::int as attempts, coalesce(max(attempts), 0)::int as max_attempts
          from outbox where kind = 'unbind_request'`,
    );
    const [i] = await queryRows<{ accepted_items: number; accepted_events: number; accepted_event_items: number; sent_events: number }>(
      db,
      sql`select (select count(*)::int from unbind_items where status = 'accepted') as accepted_items,
            (select count(*)::int from unbind_events where status = 'accepted') as accepted_events,
            (select count(distinct item_id)::int from unbind_events where status = 'accepted') as accepted_event_items,
            (select count(*)::int from unbind_events where status = 'sent') as sent_events`,
    );
    const tries = await queryRows<{ attempts: number; n: number }>(
      db,
      sql`select attempts, count(*)::int as n from outbox where kind = 'unbind_request' group by attempts order by attempts`,
    );
    const outbox = { delivered: o?.delivered ?? 0, pending: o?.pending ?? 0, dead: o?.dead ?? 0 };
    const accepted202 = received - partner503 - stats.rejectedSignatures;
    const allDelivered = outbox.delivered === ITEMS && (i?.accepted_items ?? 0) === ITEMS;
    const noneTwice =
      perItem.length === ITEMS &&
      accepted202 === ITEMS &&
      received === (o?.attempts ?? -1) &&
      (i?.accepted_events ?? 0) === ITEMS &&
      (i?.accepted_event_items ?? 0) === ITEMS &&
      (i?.sent_events ?? 0) === ITEMS &&
      (scenario.failureRate > 0 || Math.max(...perItem) === 1);
    await partner.close();
    // The machine's load moves: the ceiling is measured on both sides of the scenario and averaged.
    const after = await measureCeiling(keys);
    const ceiling = {
      requestsPerSecond: (before.requestsPerSecond + after.requestsPerSecond) / 2,
      requests: before.requests + after.requests,
      accepted: before.accepted + after.accepted,
      errors: before.errors + after.errors,
      seconds: before.seconds + after.seconds,
      each: [before.requestsPerSecond, after.requestsPerSecond] as [number, number],
    };
    return {
      scenario,
      seconds,
      itemsPerSecond: ITEMS / seconds,
      retries: run.total.retrying,
      partner503,
      received,
      accepted202,
      acceptedItems: i?.accepted_items ?? 0,
      acceptedEvents: i?.accepted_events ?? 0,
      outbox,
      attempts: o?.attempts ?? 0,
      maxAttempts: o?.max_attempts ?? 0,
      maxReceived: Math.max(0, ...perItem),
      rounds: run.rounds,
      statements: statements.n,
      ceiling,
      clockSteps: run.clockSteps,
      simulatedMinutes: run.simulatedMinutes,
      setupSeconds,
      load,
      tries: Object.fromEntries(tries.map((t) => [t.attempts, t.n])),
      allDelivered,
      noneTwice,
    };
  } finally {
    await partner.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  let postgres: string | null = null;
  try {
    await adminQuery(serverUrl, "select 1");
    postgres = serverUrl;
  } catch (error) {
    console.log(`bench/dispatch: no Postgres server at ${new URL(serverUrl).host} (${(error as Error).message}); Postgres scenarios skipped`);
  }

  // Every 202 makes the reference server schedule a (here empty) callback job listening on one
  // AbortSignal; thousands at once are expected, not a leak.
  setMaxListeners(ITEMS * 2);
  await countStatements();
  const keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("bench")]));
  const scenarios: Scenario[] = [];
  for (const failureRate of [0, FAILURE_RATE]) {
    scenarios.push({ engine: "pglite", dispatchers: 1, failureRate });
    if (postgres) scenarios.push({ engine: "postgres", dispatchers: 1, failureRate }, { engine: "postgres", dispatchers: 2, failureRate });
  }

  // BENCH_DISPATCH_ONLY=postgres-2-0.2 (engine-dispatchers-failureRate) runs one scenario.
  const only = process.env.BENCH_DISPATCH_ONLY;
  const rows: Row[] = [];
  let n = 0;
  for (const scenario of scenarios.filter((s) => !only || `${s.engine}-${s.dispatchers}-${s.failureRate}` === only)) {
    const engine =
      scenario.engine === "pglite" ? await openPglite() : await openPostgres(postgres!, `bench_dispatch_${process.pid}_${n++}`, scenario.dispatchers);
    try {
      const row = await runScenario(scenario, engine, keys);
      rows.push(row);
      console.error(
        `bench/dispatch: ${scenario.engine} × ${scenario.dispatchers}, ${scenario.failureRate * 100} % failing: ${row.seconds.toFixed(1)} s ` +
          `(set-up ${row.setupSeconds.toFixed(1)} s)`,
      );
    } finally {
      await engine.dispose();
    }
  }

  // ---- figures
  const pad = (v: string | number, w: number) => String(v).padStart(w);
  const yes = (b: boolean) => (b ? "yes" : "NO");
  console.log(`\nbench/dispatch: outbox delivery, ${ITEMS.toLocaleString("en")} unbind requests (${OWNERS} owners × ${PLATFORMS} sandbox platforms)`);
  console.log(`  to the reference partner server in its own process (loopback, same machine); drainOutbox({ concurrency: ${LIMIT} }) per dispatcher;`);
  console.log(`  2 dispatchers = 2 concurrent loops in this one process, each with its own database handle (own pg pool, max ${process.env.DATABASE_POOL_MAX ?? 10});`);
  console.log(`  PGlite in memory; Postgres: a fresh database per scenario. No partner callbacks (delivery only). Machine: ${cpus().length} cores.`);
  console.log(`  1-min load average of the machine while each scenario ran (start → end), other work included: ${rows.map((r) => `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`).join(", ")}.`);
  console.log(`  Failing: the partner answers ${FAILURE_RATE * 100} % of unbind calls 503; retries are timed by a fake clock moved to the next due row + ${POLL_MS / 1000} s`);
  console.log(`  whenever all dispatchers have just claimed nothing; seconds and items/s are real wall time from the first claim to the last row settled.`);
  console.log(`  Ceiling: the partner's own requests/s for ${ITEMS.toLocaleString("en")} such signed unbind requests from autocannon (${LIMIT} kept-alive connections from this process),`);
  console.log(`  measured just before and just after each scenario (mean); of ceiling = items/s ÷ ceiling. Statements: drizzle queries + 2 per transaction, during dispatch.\n`);
  console.log(
    `  ${"engine".padEnd(8)} ${pad("dispatchers", 11)} ${pad("failure rate", 12)} ${pad("items", 6)} ${pad("seconds", 8)} ${pad("items/s", 8)} ` +
      `${pad("retries", 7)} ${pad("ceiling req/s", 13)} ${pad("of ceiling", 10)} ${pad("statements/item", 15)} ${pad("all delivered", 13)} ${pad("none twice", 10)}`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.scenario.engine.padEnd(8)} ${pad(r.scenario.dispatchers, 11)} ${pad(`${r.scenario.failureRate * 100} %`, 12)} ${pad(ITEMS, 6)} ` +
        `${pad(r.seconds.toFixed(1), 8)} ${pad(r.itemsPerSecond.toFixed(0), 8)} ${pad(r.retries, 7)} ` +
        `${pad(r.ceiling.requestsPerSecond.toFixed(0), 13)} ${pad((r.itemsPerSecond / r.ceiling.requestsPerSecond).toFixed(2), 10)} ${pad((r.statements / ITEMS).toFixed(2), 15)} ` +
        `${pad(yes(r.allDelivered), 13)} ${pad(yes(r.noneTwice), 10)}`,
    );
  }
  console.log(
    `\n  ${"engine".padEnd(8)} ${pad("disp.", 5)} ${pad("fail", 5)} ${pad("received (incl. 503s)", 21)} ${pad("503s", 5)} ${pad("accepted (202)", 14)} ` +
      `${pad("items accepted", 14)} ${pad("outbox delivered/pending/dead", 29)} ${pad("claims", 6)} ${pad("clock steps", 11)} ${pad("sim. time", 10)}  rows by attempts (1/2/3/…)`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.scenario.engine.padEnd(8)} ${pad(r.scenario.dispatchers, 5)} ${pad(`${r.scenario.failureRate * 100}%`, 5)} ${pad(r.received, 21)} ${pad(r.partner503, 5)} ` +
        `${pad(r.accepted202, 14)} ${pad(r.acceptedItems, 14)} ${pad(`${r.outbox.delivered}/${r.outbox.pending}/${r.outbox.dead}`, 29)} ` +
        `${pad(r.rounds, 6)} ${pad(r.clockSteps, 11)} ${pad(`${r.simulatedMinutes.toFixed(1)} min`, 10)}  ` +
        Array.from({ length: r.maxAttempts }, (_, k) => r.tries[k + 1] ?? 0).join("/"),
    );
  }
  console.log(
    "  received: deliveries the partner counted (stats().unbinds, every answer); 503s: its error-rate hits; accepted (202) = received − 503s −\n" +
      "  bad signatures; retries: rounds' `retrying` outcomes. none twice: every item received, exactly one 202 per item, received = the outbox's\n" +
      "  attempts, and one `sent` and one `accepted` timeline entry per item.",
  );
  for (const r of rows) {
    const c = r.ceiling;
    console.log(
      `  ceiling around ${r.scenario.engine} × ${r.scenario.dispatchers}, ${r.scenario.failureRate * 100} %: ${c.each?.map((v) => v.toFixed(0)).join(" and ")} req/s; ${c.requests} requests in ${c.seconds.toFixed(1)} s, ` +
        `${c.accepted} distinct requestIds received, ${c.errors} errors or non-2xx`,
    );
  }
  if (rows.some((r) => !r.allDelivered || !r.noneTwice)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
