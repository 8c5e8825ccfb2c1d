import { randomBytes, randomInt } from "node:crypto";
import autocannon from "autocannon";
import { withDatabase } from "../db/testing";
import { actionIds, actionRequest, type ActionIds } from "./lib/actions";
import { adminQuery } from "./lib/postgres";
import { haveBuild, startApp } from "./lib/server";

/**
 * Owner sign-in by SMS code against the built app (`next start`), loaded with autocannon:
 *  1. "send code" alone: successful sends per second and per-request latency;
 *  2. whole round trips (send code → read it from the dev outbox → submit it → session cookie) as
 *     autocannon request sequences, one sequence at a time per connection, each timed from its
 *     first request to the response that sets the session cookie.
 * On embedded PGlite always, and on Postgres when DATABASE_URL is set (a fresh database, dropped
 * afterwards). Each engine gets its own server, a fetch pre-flight round trip (which explains a
 * broken flow plainly) and a short warm-up before anything is measured.
 *
 * Prints figures and asserts nothing, but exits non-zero if the flow itself breaks: the pre-flight
 * fails, a phase completes nothing, or more than 1% of its attempts fail.
 *
 * Every request uses its own mobile number and its own X-Forwarded-For value, because the send
 * limits (one code a minute per number, 20 an hour per client IP, the IP being the header's last
 * entry) would otherwise stop a benchmark at once. The header stands for many clients behind a
 * proxy; nothing is ever sent to those addresses.
 */
const CONNECTIONS = 10;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;
const MAX_FAILURE_SHARE = 0.01;

// Numbers: one valid mainland mobile prefix per use, so no two phases ever share a number, and
// 8 digits counting up from a random base. Client addresses: 10.x.y.z from the same counter.
type Prefix = "138" | "139" | "158" | "188";
let counter = 0;
const numberBase = randomInt(0, 50_000_000);
function nextClient(prefix: Prefix) {
  const i = ++counter;
  return { number: `+86${prefix}${String(numberBase + i).padStart(8, "0")}`, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
}

const sendFields = (number: string) => ({ country: "CN", number, terms: "on" });
const outboxPath = (number: string) => `/api/dev/sms?to=${encodeURIComponent(number)}`;
/** The code is the first 6-digit run of the newest message. */
function codeFromOutbox(json: string): string | undefined {
  try {
    const parsed = JSON.parse(json) as { messages?: { body?: string }[] };
    return /\d{6}/.exec(parsed.messages?.[0]?.body ?? "")?.[0];
  } catch {
    return undefined;
  }
}

/** Response headers as autocannon hands them over (repeated headers become arrays). */
type HeaderMap = Record<string, string | string[] | undefined> | undefined;
function headerValues(headers: HeaderMap, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && value !== undefined) values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}
const redirectsTo = (headers: HeaderMap, base: string, path: string) =>
  headerValues(headers, "x-action-redirect").some((v) => new URL(v.split(";")[0] ?? "", base).pathname === path);
const cookiePair = (headers: HeaderMap, name: RegExp) =>
  headerValues(headers, "set-cookie")
    .map((c) => c.split(";")[0] ?? "")
    .find((pair) => name.test(pair.split("=")[0] ?? "") && pair.split("=")[1]);

/** A send succeeded: redirect to the code step and the challenge cookie (returned as `name=value`). */
const sentChallenge = (status: number, headers: HeaderMap, base: string) =>
  status === 200 && redirectsTo(headers, base, "/login/verify") ? cookiePair(headers, /^reclaim_otp$/) : undefined;
/** A code submit succeeded: redirect to /me and an Auth.js session cookie. */
const signedIn = (status: number, headers: HeaderMap, base: string) =>
  status === 200 && redirectsTo(headers, base, "/me") && Boolean(cookiePair(headers, /^(__Secure-)?authjs\.session-token$/));

/** The same, for a fetch response. */
const fetchHeaders = (res: Response): HeaderMap => ({ ...Object.fromEntries(res.headers), "set-cookie": res.headers.getSetCookie() });

/** What a sequence step's setupRequest returns to make autocannon start the sequence over. */
const RESTART = undefined as unknown as autocannon.Request;

class Failures {
  count = 0;
  first?: string;
  add(step: string, status: number, body: string) {
    this.count++;
    this.first ??= `${step}: HTTP ${status} ${body.replace(/\s+/g, " ").slice(0, 300)}`;
  }
}

/** Whole milliseconds, or "-" when there was nothing to measure. */
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};

/** autocannon with the per-request latencies it measures (write to last byte, in ms). */
function cannon(options: autocannon.Options, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
    if (latencies) instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/** One round trip with fetch, before any load: proves the flow works and says plainly where not. */
async function preflight(base: string, ids: ActionIds) {
  const client = nextClient("188");
  const fail = async (step: string, res: Response) => {
    throw new Error(`bench/otp: the sign-in flow is broken at "${step}": HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
  };
  const send = actionRequest(base, ids.sendCode, sendFields(client.number), client.ip);
  const sent = await fetch(`${base}/login`, { method: "POST", redirect: "manual", ...send });
  const cookie = sentChallenge(sent.status, fetchHeaders(sent), base);
  if (!cookie) return fail("send code", sent);
  const outbox = await fetch(`${base}${outboxPath(client.number)}`);
  const code = codeFromOutbox(await outbox.clone().text());
  if (!code) return fail("read the dev outbox", outbox);
  const verify = actionRequest(base, ids.submitCode, { code }, client.ip, cookie);
  const verified = await fetch(`${base}/login/verify`, { method: "POST", redirect: "manual", ...verify });
  if (!signedIn(verified.status, fetchHeaders(verified), base)) {
    return fail("submit code", verified);
  }
}

async function sendPhase(base: string, ids: ActionIds) {
  const failures = new Failures();
  const latencies: number[] = [];
  let ok = 0;
  const result = await cannon(
    {
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: "POST",
          path: "/login",
          setupRequest: (req) => {
            const client = nextClient("138");
            return { ...req, ...actionRequest(base, ids.sendCode, sendFields(client.number), client.ip) };
          },
          onResponse: (status, body, _context, headers) => {
            if (sentChallenge(status, headers, base)) ok++;
            else failures.add("send code", status, body);
          },
        },
      ],
    },
    latencies,
  );
  failures.count += result.errors;
  const at = (p: number) => ms(percentile(latencies, p));
  return { ok, failures, perSecond: ok / result.duration, latency: `${at(50)}/${at(95)}/${at(99)}` };
}

type TripContext = { number?: string; ip?: string; cookie?: string; code?: string; startedAt?: number };

/** Round trips as autocannon sequences; the context is fresh for every sequence. */
async function roundTripPhase(base: string, ids: ActionIds, prefix: Prefix, seconds: number) {
  const failures = new Failures();
  const durations: number[] = [];
  const result = await cannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    initialContext: {},
    requests: [
      {
        method: "POST",
        path: "/login",
        setupRequest: (req, context: TripContext) => {
          const client = nextClient(prefix);
          Object.assign(context, client, { startedAt: performance.now() });
          return { ...req, ...actionRequest(base, ids.sendCode, sendFields(client.number), client.ip) };
        },
        onResponse: (status, body, context: TripContext, headers) => {
          context.cookie = sentChallenge(status, headers, base);
          if (!context.cookie) failures.add("send code", status, body);
        },
      },
      {
        method: "GET",
        // No challenge, nothing to read or submit: start over (the failure is already counted).
        setupRequest: (req, context: TripContext) => (context.cookie ? { ...req, path: outboxPath(context.number ?? "") } : RESTART),
        onResponse: (status, body, context: TripContext) => {
          context.code = codeFromOutbox(body);
          if (!context.code) failures.add("read the dev outbox", status, body);
        },
      },
      {
        method: "POST",
        path: "/login/verify",
        setupRequest: (req, context: TripContext) =>
          context.code && context.cookie ? { ...req, ...actionRequest(base, ids.submitCode, { code: context.code }, context.ip ?? "", context.cookie) } : RESTART,
        onResponse: (status, body, context: TripContext, headers) => {
          if (signedIn(status, headers, base)) durations.push(performance.now() - (context.startedAt ?? NaN));
          else failures.add("submit code", status, body);
        },
      },
    ],
  });
  failures.count += result.errors;
  return { completed: durations.length, failures, perSecond: durations.length / result.duration, p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

async function measure(engine: string, env: Record<string, string>) {
  const app = await startApp(env);
  try {
    const ids = actionIds();
    await preflight(app.base, ids);
    await roundTripPhase(app.base, ids, "139", WARM_UP_SECONDS);
    const send = await sendPhase(app.base, ids);
    const trips = await roundTripPhase(app.base, ids, "158", SECONDS);
    return { engine, send, trips };
  } finally {
    await app.stop();
  }
}

async function withFreshPostgres<T>(serverUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `reclaim_bench_${randomBytes(4).toString("hex")}`;
  const admin = (sql: string) => adminQuery(serverUrl, sql);
  await admin(`create database "${name}"`);
  try {
    return await run(withDatabase(serverUrl, name));
  } finally {
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

async function main() {
  if (!haveBuild()) {
    console.log("bench/otp: no production build (run npm run build first); skipped");
    return;
  }
  const rows = [await measure("pglite", {})];
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) rows.push(await withFreshPostgres(serverUrl, (url) => measure("postgres", { DATABASE_URL: url })));

  console.log(`bench/otp: owner sign-in by SMS code (next start, autocannon, ${CONNECTIONS} connections, ${SECONDS} s per phase)`);
  console.log("engine    send req/s  send p50/p95/p99 ms  round trips/s  round trip p50/p95 ms  failures");
  for (const { engine, send, trips } of rows) {
    console.log(
      `${engine.padEnd(9)} ${send.perSecond.toFixed(1).padStart(10)}  ${send.latency.padEnd(19)} ` +
        `${trips.perSecond.toFixed(1).padStart(13)}  ${`${ms(trips.p50)}/${ms(trips.p95)}`.padEnd(21)} ` +
        `${send.failures.count + trips.failures.count}`,
    );
  }
  console.log(
    "round trips: autocannon request sequences per connection (send code → GET /api/dev/sms → submit code), " +
      "timed from the send to the response that sets the session cookie; each request its own number and X-Forwarded-For",
  );

  let broken = false;
  for (const { engine, send, trips } of rows) {
    for (const [phase, done, failures] of [
      ["send code", send.ok, send.failures],
      ["round trips", trips.completed, trips.failures],
    ] as const) {
      if (failures.first) console.error(`bench/otp: ${engine} ${phase}: ${failures.count} failed; first: ${failures.first}`);
      if (done === 0 || failures.count > MAX_FAILURE_SHARE * (done + failures.count)) broken = true;
    }
  }
  if (broken) {
    console.error("bench/otp: the sign-in flow broke under load (see above)");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
