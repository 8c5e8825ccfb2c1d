import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { eq, sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle } from "../db";
import { migrateDatabase } from "../db/migrate";
import { numberTenures, owners, platforms } from "../db/schema";
import { sandboxSigningSecret } from "../db/seed-data";
import { withDatabase } from "../db/testing";
import { startPartnerServer, type PartnerServer, type SandboxPlatform } from "../sandbox/partner/server";
import { TERMS_VERSION } from "../lib/otp/config";
import { giveConsent, lookupConfig } from "../lib/platforms/lookup";
import { haveBuild, startApp, type RunningApp } from "./lib/server";
import { actionIds, actionRequest, type ActionIds } from "./lib/actions";
import { adminQuery } from "./lib/postgres";
import { parseEnv } from "../lib/env";

/**
 * The look-up fan-out (docs/lookup.md) against the built app (`next start`): 20 sandbox platforms
 * answering after fixed latencies spread evenly over 50…800 ms, plus one that never answers, all
 * served by the reference partner server in this process (loopback, same machine). Reports
 *  (a) time from the POST to the first answer on the page,
 *  (b) time to the last answering platform's answer,
 *  (c) (b) ÷ the slowest answering platform's own latency (800 ms): the fan-out's overhead, target ≤ 1.15,
 *  (d) look-ups per second at 50 concurrent owners (autocannon, one connection per owner, each
 *      connection holding its own session cookie), with the silent platform and with it paused.
 * "Shown on the page" is the arrival of the platform's NDJSON line at the client (fetch, timed from
 * the request's start): the page renders a row as soon as its line arrives.
 *
 * Database: a fresh database on a Postgres server (BENCH_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end; when none is reachable (or
 * BENCH_LOOKUP_PGLITE=1), a PGlite data directory prepared before the app starts. The database holds
 * exactly the 21 bench platforms, 51 owners with an open tenure and consent to all 21; the owners
 * sign in over HTTP (send code → dev SMS outbox → submit code), each with its own X-Forwarded-For,
 * because the send limits (20 codes an hour per client IP) would otherwise stop the sign-ins.
 *
 * Order: the load with the silent platform paused first, then (active again) the sequential
 * look-ups and the load with it, so that no phase pays for the timed-out calls another phase left
 * being retried. On PGlite the app is restarted around the status change (sessions are JWTs and
 * survive it). Beside each load phase it prints the CPU the app used per look-up and how busy the
 * machine was: on a shared machine, look-ups per second move with whatever else runs.
 *
 * Prints figures and asserts nothing about timing; exits non-zero only if the flow itself breaks
 * (a sign-in or a look-up goes wrong, or more than 1% of a load phase's requests fail).
 */
const ANSWERING = 20;
const FASTEST_MS = 50;
const SLOWEST_MS = 800;
const TARGET_RATIO = 1.15;
const WARM_UP_RUNS = 2;
const RUNS = 20;
const OWNERS = 50;
const LOAD_SECONDS = 15;
const WARM_UP_LOAD_SECONDS = 3;
const REQUEST_TIMEOUT_SECONDS = 30;
const SIGN_IN_CONCURRENCY = 5;
const MAX_FAILURE_SHARE = 0.01;
const TENURE_START = new Date("2026-03-15T10:30:00+08:00");
const ANSWERS = new Set(["bound_before_tenure", "bound_since_tenure", "not_bound"]);

const SILENT = "bench-silent";
const benchPlatforms: SandboxPlatform[] = [
  ...Array.from({ length: ANSWERING }, (_, i) => {
    const slug = `bench-${String(i).padStart(2, "0")}`;
    return { slug, secret: sandboxSigningSecret(slug), knobs: { latencyMs: Math.round(FASTEST_MS + (i * (SLOWEST_MS - FASTEST_MS)) / (ANSWERING - 1)) } };
  }),
  { slug: SILENT, secret: sandboxSigningSecret(SILENT), knobs: { hang: true } },
];
const SLOWEST_SLUG = benchPlatforms[ANSWERING - 1]!.slug;

/** Owner 0 runs the sequential look-ups, owners 1…50 the load. Mainland mobile numbers, one each. */
const ownerNumber = (i: number) => `+86139${String(20_000_000 + i).padStart(8, "0")}`;
const ownerIp = (i: number) => `10.77.${(i >> 8) & 255}.${i & 255}`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : "-");
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

// ---------------------------------------------------------------------------------------------
// The database: Postgres when reachable (the bench can write while the app runs), else PGlite
// (one process at a time: the bench touches the data directory only while the app is stopped).

interface Store {
  engine: "postgres" | "pglite";
  where: string;
  appEnv: Record<string, string>;
  live: boolean;
  withDb<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}


async function openStore(): Promise<Store> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  let fallbackReason = "BENCH_LOOKUP_PGLITE is set";
  if (!process.env.BENCH_LOOKUP_PGLITE) {
    const name = `bench_lookup_${process.pid}`;
    try {
      await adminQuery(serverUrl, `create database "${name}"`);
      const url = withDatabase(serverUrl, name);
      const handle = await openDatabase({ databaseUrl: url });
      const server = new URL(serverUrl);
      return {
        engine: "postgres",
        where: `fresh database ${name} on ${server.hostname}:${server.port || 5432}`,
        appEnv: { DATABASE_URL: url, PGLITE_DIR: "" },
        live: true,
        withDb: (fn) => fn(handle),
        async dispose() {
          await handle.close();
          await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
        },
      };
    } catch (error) {
      fallbackReason = `no Postgres server at ${new URL(serverUrl).host} (${(error as Error).message})`;
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), "reclaim-bench-lookup-"));
  return {
    engine: "pglite",
    where: `data directory prepared before the app starts; ${fallbackReason}`,
    appEnv: { PGLITE_DIR: dir, DATABASE_URL: "" },
    live: false,
    async withDb(fn) {
      const handle = await openDatabase({ pgliteDir: dir });
      try {
        return await fn(handle);
      } finally {
        await handle.close();
      }
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The 21 platforms (all active while consents are given, since consent only covers active
 * platforms), owners 0…50 with an open tenure and consent to all of them. Returns slug → id.
 */
async function prepare(handle: DatabaseHandle, partnerUrl: string): Promise<Map<string, string>> {
  await migrateDatabase(handle);
  const db = handle.db;
  const rows = await db
    .insert(platforms)
    .values(
      benchPlatforms.map((p, i) => ({
        slug: p.slug,
        nameZh: `压测平台 ${i + 1}（沙盒）`,
        nameEn: `Bench platform ${i + 1} (sandbox)`,
        category: "social" as const,
        baseUrl: `${partnerUrl}/${p.slug}`,
        sandbox: true,
        signingSecrets: [sandboxSigningSecret(p.slug)],
      })),
    )
    .returning({ id: platforms.id, slug: platforms.slug });
  const ids = new Map(rows.map((r) => [r.slug, r.id]));
  const now = new Date();
  for (let i = 0; i <= OWNERS; i++) {
    const number = ownerNumber(i);
    const [owner] = await db.insert(owners).values({ number, termsVersion: TERMS_VERSION, termsAcceptedAt: now }).returning({ id: owners.id });
    const [tenure] = await db.insert(numberTenures).values({ number, startedAt: TENURE_START, source: "carrier_record" }).returning({ id: numberTenures.id });
    const consent = await giveConsent(db, { ownerId: owner!.id, tenureId: tenure!.id, platformIds: [...ids.values()], now });
    if (!consent.ok) throw new Error(`bench/lookup: could not record consent (${consent.error})`);
  }
  return ids;
}

async function setSilentStatus(handle: DatabaseHandle, status: "active" | "paused") {
  await handle.db.update(platforms).set({ status }).where(eq(platforms.slug, SILENT));
}

interface PhaseCounts {
  lookups: number;
  owners: number;
  rows: number;
  answered: number;
  unavailable: number;
  /** Rows of answering platforms (all but the silent one) without a saved answer. */
  missing: number;
}

/** What a phase left in the database: look-ups started in [from, to) and their result rows. */
async function phaseCounts(handle: DatabaseHandle, from: Date, to: Date, silentId: string): Promise<PhaseCounts> {
  const [row] = await queryRows<{ [K in keyof PhaseCounts]: number }>(
    handle.db,
    sql`select count(distinct l.id)::int as lookups, count(distinct l.owner_id)::int as owners, count(r.lookup_id)::int as rows,
          (count(*) filter (where r.status <> 'pending'))::int as answered,
          (count(*) filter (where r.status = 'unavailable'))::int as unavailable,
          (count(*) filter (where r.status = 'pending' and r.platform_id <> ${silentId}::uuid))::int as missing
        from lookups l left join lookup_results r on r.lookup_id = l.id
        where l.started_at >= ${from.toISOString()}::timestamptz and l.started_at < ${to.toISOString()}::timestamptz`,
  );
  return {
    lookups: row?.lookups ?? 0,
    owners: row?.owners ?? 0,
    rows: row?.rows ?? 0,
    answered: row?.answered ?? 0,
    unavailable: row?.unavailable ?? 0,
    missing: row?.missing ?? 0,
  };
}

/**
 * Gives the look-ups that autocannon cut off at the end of a phase time to save their answers
 * (they go on in the server): on Postgres until none of an answering platform is missing, at most
 * 10 s; on PGlite (not readable while the app runs) a fixed wait.
 */
async function settle(store: Store, from: Date, to: Date, silentId: string) {
  if (!store.live) return sleep(SLOWEST_MS + 2_000);
  const until = Date.now() + 10_000;
  while (Date.now() < until && (await store.withDb((h) => phaseCounts(h, from, to, silentId))).missing > 0) await sleep(250);
}

// ---------------------------------------------------------------------------------------------
// Owner sign-in over HTTP, as the browser does it (server actions; see bench/otp.ts).

function actionInit(base: string, actionId: string, fields: Record<string, string>, ip: string, cookie?: string): RequestInit {
  return { method: "POST", ...actionRequest(base, actionId, fields, ip, cookie), redirect: "manual" };
}

const cookiePairs = (res: Response, name: RegExp) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((pair) => name.test(pair.split("=")[0] ?? "") && pair.split("=")[1]);

/** Signs one owner in; returns the session cookie header value. */
async function signIn(base: string, ids: ActionIds, number: string, ip: string): Promise<string> {
  const fail = async (step: string, res: Response): Promise<never> => {
    throw new Error(`bench/lookup: owner sign-in broke at "${step}": HTTP ${res.status} ${(await res.text()).replace(/\s+/g, " ").slice(0, 300)}`);
  };
  const sent = await fetch(`${base}/login`, actionInit(base, ids.sendCode, { country: "CN", number, terms: "on" }, ip));
  const challenge = cookiePairs(sent, /^reclaim_otp$/)[0];
  if (sent.status !== 200 || !challenge) return fail("send code", sent);
  await sent.body?.cancel();
  const outbox = await fetch(`${base}/api/dev/sms?to=${encodeURIComponent(number)}`);
  const text = await outbox.text();
  const code = /\d{6}/.exec((JSON.parse(text) as { messages?: { body?: string }[] }).messages?.[0]?.body ?? "")?.[0];
  if (!code) throw new Error(`bench/lookup: no code in the dev SMS outbox: HTTP ${outbox.status} ${text.slice(0, 300)}`);
  const verified = await fetch(`${base}/login/verify`, actionInit(base, ids.submitCode, { code }, ip, challenge));
  const session = cookiePairs(verified, /^(__Secure-)?authjs\.session-token(\.\d+)?$/);
  if (verified.status !== 200 || session.length === 0) return fail("submit code", verified);
  await verified.body?.cancel();
  return session.join("; ");
}

async function signInAll(base: string): Promise<string[]> {
  const ids = actionIds();
  const cookies: string[] = new Array<string>(OWNERS + 1);
  let next = 0;
  await Promise.all(
    Array.from({ length: SIGN_IN_CONCURRENCY }, async () => {
      while (next <= OWNERS) {
        const i = next++;
        cookies[i] = await signIn(base, ids, ownerNumber(i), ownerIp(i));
      }
    }),
  );
  return cookies;
}

// ---------------------------------------------------------------------------------------------
// One look-up, read as the page reads it.

interface LookupRun {
  /** The `started` line (it comes with the 201). */
  started: number;
  /** First / last answer line (status other than pending). */
  first: number;
  last: number;
  answered: number;
  unavailable: number;
  /** The app's own measure of the slowest platform's call (its `latencyMs`). */
  slowestCall: number;
  deadline?: { at: number; pending: string[] };
  end?: number;
}

type LookupLine = { type: "started" | "result" | "deadline" | "end"; platformId?: string; status?: string; latencyMs?: number | null; pending?: string[] };

/**
 * POST /api/lookups and read the NDJSON stream, timing each line's arrival from the request's
 * start. With `untilAnswered`, stops reading once that many platforms have answered (the look-up
 * goes on in the server); otherwise reads to the `end` line.
 */
async function timedLookup(base: string, cookie: string, slowestId: string, untilAnswered?: number): Promise<LookupRun> {
  const controller = new AbortController();
  const t0 = performance.now();
  const response = await fetch(`${base}/api/lookups`, { method: "POST", headers: { cookie, origin: base }, signal: controller.signal });
  const run: LookupRun = { started: NaN, first: NaN, last: NaN, answered: 0, unavailable: 0, slowestCall: NaN };
  if (response.status !== 201 || !response.body) {
    throw new Error(`bench/lookup: POST /api/lookups answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const at = performance.now() - t0;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as LookupLine;
        buffer = buffer.slice(nl + 1);
        if (line.type === "started") run.started = at;
        if (line.type === "result" && line.status !== "pending") {
          if (!run.answered) run.first = at;
          run.last = at;
          run.answered++;
          if (!ANSWERS.has(line.status ?? "")) run.unavailable++;
          if (line.platformId === slowestId) run.slowestCall = line.latencyMs ?? NaN;
        }
        if (line.type === "deadline") run.deadline = { at, pending: line.pending ?? [] };
        if (line.type === "end") run.end = at;
      }
      if (untilAnswered !== undefined && run.answered >= untilAnswered) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return run;
}

/** A look-up that must get every answering platform's answer (and, when `silentId`, a deadline listing exactly it). */
function checkRun(run: LookupRun, silentId?: string) {
  const problems: string[] = [];
  if (run.answered !== ANSWERING) problems.push(`${run.answered} of ${ANSWERING} platforms answered`);
  if (run.unavailable) problems.push(`${run.unavailable} answered "unavailable" (signature, address or partner misconfigured?)`);
  if (silentId && (run.deadline?.pending.length !== 1 || run.deadline.pending[0] !== silentId)) {
    problems.push(`expected a deadline line listing the silent platform, got ${JSON.stringify(run.deadline ?? null)}`);
  }
  if (run.end === undefined) problems.push("no end line");
  if (problems.length) throw new Error(`bench/lookup: a look-up went wrong: ${problems.join("; ")}`);
}

// ---------------------------------------------------------------------------------------------
// Load: one autocannon connection per owner, pinned to that owner's session cookie.

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) of a process, from /proc; NaN where there is none. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine (all cores, in ticks), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number) as number[];
    const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
    return { busy: total - idle! - iowait!, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

interface CpuSample {
  at: number;
  app: number;
  bench: number;
  machine: { busy: number; total: number };
}

function cpuSample(appPid: number): CpuSample {
  const own = process.cpuUsage();
  return { at: performance.now(), app: processCpuMs(appPid), bench: (own.user + own.system) / 1000, machine: machineTicks() };
}

/** Shares of one core (app, bench process) and of the whole machine, between two samples. */
function cpuShares(a: CpuSample, b: CpuSample) {
  const wall = b.at - a.at;
  return {
    appMs: b.app - a.app,
    app: (b.app - a.app) / wall,
    bench: (b.bench - a.bench) / wall,
    machine: (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total),
  };
}

async function load(base: string, appPid: number, cookies: string[], seconds: number) {
  let next = 0;
  const from = new Date();
  const before = cpuSample(appPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: `${base}/api/lookups`,
        method: "POST",
        connections: cookies.length,
        duration: seconds,
        // A look-up's stream lasts until the deadline at most when all goes well; a slower one is
        // measured rather than cut off at autocannon's default 10 s.
        timeout: REQUEST_TIMEOUT_SECONDS,
        headers: { origin: base },
        // Called once per connection, in order: connection i is owner i, for the whole run.
        setupClient: (client) => client.setHeaders({ origin: base, cookie: cookies[next++ % cookies.length]! }),
      },
      (err: unknown, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
  });
  const cpu = cpuShares(before, cpuSample(appPid));
  // Look-ups that autocannon cut off at the end still started: count them with the phase.
  return { result, cpu, from, to: new Date(Date.now() + 250) };
}

// ---------------------------------------------------------------------------------------------

interface Bench {
  store: Store;
  partner: PartnerServer;
  app?: RunningApp;
}

function appEnv(bench: Bench): Record<string, string> {
  return {
    ...bench.store.appEnv,
    SEED_DEMO_DATA: "false",
    SANDBOX_PARTNER_URL: bench.partner.url,
    LOOKUP_MIN_INTERVAL_SECONDS: "0",
    // No unbind requests here: keep the outbox loop out of the figures.
    DISPATCHER: "off",
  };
}

/** Pauses or re-activates the silent platform (PGlite: with the app stopped; sessions survive, they are JWTs). */
async function setSilent(bench: Bench, status: "active" | "paused") {
  if (bench.store.live) return bench.store.withDb((h) => setSilentStatus(h, status));
  await bench.app?.stop();
  bench.app = undefined;
  await bench.store.withDb((h) => setSilentStatus(h, status));
  bench.app = await startApp(appEnv(bench));
}

type LoadPhase = Awaited<ReturnType<typeof load>>;

/** Completed look-ups (2xx streams) per second, failures, what the database kept, CPU spent. */
function loadRow(phase: LoadPhase, counts: PhaseCounts) {
  const r = phase.result;
  const ok = r["2xx"];
  return {
    perSecond: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    non2xx: r.non2xx,
    // autocannon counts timeouts among its errors too.
    errors: r.errors,
    timeouts: r.timeouts,
    counts,
    cpu: phase.cpu,
    appMsPerLookup: phase.cpu.appMs / counts.lookups,
  };
}

async function main() {
  if (!haveBuild()) {
    console.log("bench/lookup: no production build (run `npm run build` first); skipped");
    return;
  }
  const deadlineMs = lookupConfig(parseEnv({ ...process.env, LOOKUP_MIN_INTERVAL_SECONDS: "0" })).deadlineMs;
  const partner = await startPartnerServer({ platforms: benchPlatforms, bindings: {} });
  let store: Store | undefined;
  const bench: Partial<Bench> = { partner };
  try {
    store = await openStore();
    bench.store = store;
    const ids = await store.withDb((h) => prepare(h, partner.url));
    const slowestId = ids.get(SLOWEST_SLUG)!;
    const silentId = ids.get(SILENT)!;
    const b = bench as Bench;

    // Phase 1, the silent platform paused: the stream ends with the 800 ms platform's answer.
    await store.withDb((h) => setSilentStatus(h, "paused"));
    b.app = await startApp(appEnv(b));
    const cookies = await signInAll(b.app.base);
    const ownerCookie = cookies[0]!;
    const loadCookies = cookies.slice(1);
    checkRun(await timedLookup(b.app.base, ownerCookie, slowestId));
    const warmUp = await load(b.app.base, b.app.pid, loadCookies, WARM_UP_LOAD_SECONDS);
    await settle(store, warmUp.from, warmUp.to, silentId);
    const paused = await load(b.app.base, b.app.pid, loadCookies, LOAD_SECONDS);
    await settle(store, paused.from, paused.to, silentId);

    // Phase 2, the silent platform active: the sequential look-ups (a)–(c), then the load.
    await setSilent(b, "active");
    const warmUps: LookupRun[] = [];
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      const run = await timedLookup(b.app!.base, ownerCookie, slowestId);
      checkRun(run, silentId);
      warmUps.push(run);
    }
    const runs: LookupRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await timedLookup(b.app!.base, ownerCookie, slowestId, ANSWERING);
      if (run.answered !== ANSWERING || run.unavailable) checkRun(run);
      runs.push(run);
    }
    const withSilent = await load(b.app!.base, b.app!.pid, loadCookies, LOAD_SECONDS);
    await settle(store, withSilent.from, withSilent.to, silentId);

    if (!store.live) {
      await b.app?.stop();
      b.app = undefined;
    }
    const [pausedCounts, silentCounts] = await store.withDb(async (h) => [
      await phaseCounts(h, paused.from, paused.to, silentId),
      await phaseCounts(h, withSilent.from, withSilent.to, silentId),
    ]);

    // ---- figures
    const firsts = runs.map((r) => r.first);
    const lasts = runs.map((r) => r.last);
    const ratios = lasts.map((l) => l / SLOWEST_MS);
    const row = (label: string, values: number[], fmt: (n: number) => string, note = "") =>
      console.log(`  ${label.padEnd(46)} ${fmt(percentile(values, 50)).padStart(9)} ${fmt(percentile(values, 95)).padStart(9)}   ${note}`);
    const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "-");
    const medianRatio = percentile(ratios, 50);

    console.log(
      `\nbench/lookup: look-up fan-out, ${ANSWERING} sandbox platforms answering after ${FASTEST_MS}…${SLOWEST_MS} ms (fixed, evenly spread)` +
        " + 1 that never answers",
    );
    console.log(`  engine: ${store.engine} (${store.where}); app: next start; partner: reference server in this process, loopback`);
    console.log(`  "shown" = the platform's NDJSON line arriving at the client (fetch), timed from the start of the POST`);
    console.log(`\n  (a)–(c) ${RUNS} sequential look-ups by one signed-in owner, after ${WARM_UP_RUNS} warm-ups`);
    console.log(`  ${"figure".padEnd(46)} ${"median".padStart(9)} ${"p95".padStart(9)}   note`);
    row("(a) first answer shown", firsts, ms, `fastest platform: ${FASTEST_MS} ms`);
    row(`(b) all ${ANSWERING} answering platforms shown`, lasts, ms, `slowest answering platform: ${SLOWEST_MS} ms`);
    row(`(c) (b) ÷ ${SLOWEST_MS} ms`, ratios, ratio, `target ≤ ${TARGET_RATIO}: ${medianRatio <= TARGET_RATIO ? "met" : "NOT met"} (median)`);
    row('    201 and the "started" line', runs.map((r) => r.started), ms, "look-up saved, fan-out starting");
    row(`    the app's own timing of the ${SLOWEST_MS} ms call`, runs.map((r) => r.slowestCall), ms, "latencyMs in its result line");
    const deadlines = warmUps.map((r) => r.deadline?.at ?? NaN);
    row('    "deadline" line (warm-ups, read to the end)', deadlines, ms, `LOOKUP_DEADLINE_MS ${deadlineMs}; pending: the silent platform`);

    const phases = [
      ["silent active", loadRow(withSilent, silentCounts), ANSWERING + 1],
      ["silent paused", loadRow(paused, pausedCounts), ANSWERING],
    ] as const;
    const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : "-");
    console.log(`\n  (d) ${OWNERS} concurrent owners: autocannon, ${OWNERS} connections (one owner and session cookie each), ${LOAD_SECONDS} s per phase`);
    console.log(
      "  phase          look-ups/s  p50 ms  p99 ms  non-2xx  errors  look-ups (owners)  answered / rows  app CPU/look-up  app core  bench core  machine",
    );
    for (const [label, r, perLookup] of phases) {
      console.log(
        `  ${label.padEnd(13)} ${r.perSecond.toFixed(1).padStart(11)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ` +
          `${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}  ${`${r.counts.lookups} (${r.counts.owners})`.padStart(17)}  ` +
          `${`${r.counts.answered} / ${r.counts.rows}`.padStart(15)}  ${ms(r.appMsPerLookup).padStart(15)}  ${pct(r.cpu.app).padStart(8)}  ` +
          `${pct(r.cpu.bench).padStart(10)}  ${pct(r.cpu.machine).padStart(7)}` +
          (r.timeouts ? `  (${r.timeouts} of the errors: timed out after ${REQUEST_TIMEOUT_SECONDS} s)` : "") +
          (r.counts.unavailable ? `  (${r.counts.unavailable} unavailable)` : "") +
          (r.counts.missing ? `  (${r.counts.missing} answering platforms' rows still without an answer)` : "") +
          (r.counts.rows !== r.counts.lookups * perLookup ? `  (expected ${perLookup} rows per look-up)` : ""),
      );
    }
    console.log(
      [
        `  silent active: the never-answering platform is asked too, so every stream ends at the ${deadlineMs} ms deadline;`,
        `  silent paused: it is paused, so every stream ends with the ${SLOWEST_MS} ms platform's answer.`,
        "  look-ups/s: completed streams (2xx) ÷ duration; p50/p99: from the request to the end of its stream;",
        "  look-ups (owners): look-ups started in the phase, cut-off ones included, and by how many owners;",
        "  answered / rows: lookup_results rows with a saved answer / all rows of those look-ups;",
        "  app CPU/look-up: the next start process's CPU time ÷ look-ups started; app core, bench core: CPU used as a share of one core",
        `  (the bench process runs the partner server and autocannon); machine: busy share of all ${availableParallelism()} cores, other processes included.`,
      ].join("\n"),
    );

    let broken = false;
    for (const [label, r] of phases) {
      const failed = r.non2xx + r.errors;
      if (r.ok === 0 || failed > MAX_FAILURE_SHARE * (r.ok + failed)) {
        console.error(`bench/lookup: load phase "${label}" broke: ${r.ok} completed, ${r.non2xx} non-2xx, ${r.errors} errors or timeouts`);
        broken = true;
      }
    }
    if (broken) process.exitCode = 1;
  } finally {
    await bench.app?.stop();
    await partner.close();
    await store?.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
