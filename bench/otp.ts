import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { Client } from "pg";
import { withDatabase } from "../db/testing";
import { haveBuild, startApp } from "./lib/server";

/**
 * Owner sign-in by SMS code against the built app (`next start`), with autocannon:
 *  1. "send code" alone: requests/s and latency;
 *  2. whole round trips — send code → read it from the dev outbox → submit it → session cookie —
 *     as autocannon request sequences, timed from the first request to the session.
 * On embedded PGlite always, and on Postgres when DATABASE_URL is set (a fresh database, dropped
 * afterwards). Prints figures; exits non-zero only if the flow itself fails.
 *
 * Every request uses its own mobile number and its own X-Forwarded-For value: the send limits
 * (one code a minute per number, 20 an hour per IP) would otherwise stop a benchmark at once. The
 * header stands for many clients behind a proxy; nothing is sent to those addresses.
 */
const CONNECTIONS = 10;
const SECONDS = 10;

type ActionIds = { sendCode: string; submitCode: string };

function actionIds(): ActionIds {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const find = (name: string) => {
    const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === name && v.filename?.endsWith("login/actions.ts"));
    if (!entry) throw new Error(`server action ${name} not in the build`);
    return entry[0];
  };
  return { sendCode: find("sendCode"), submitCode: find("submitCode") };
}

/** The body React sends for a useActionState form action: the fields, then the encoded arguments. */
function actionBody(fields: Record<string, string>): { body: string; contentType: string } {
  const boundary = `----bench${randomBytes(8).toString("hex")}`;
  const parts = [...Object.entries(fields).map(([k, v]) => [`_1_${k}`, v]), ["0", '[{"ok":false},"$K1"]']];
  const body =
    parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") +
    `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function header(headers: unknown, name: string): string[] {
  // autocannon hands headers over as a flat [name, value, name, value] list or as an object.
  if (Array.isArray(headers)) {
    const values: string[] = [];
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) values.push(String(headers[i + 1]));
    return values;
  }
  const values: string[] = [];
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, string | string[]>)) {
    if (key.toLowerCase() === name) values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};

let counter = 0;
/** A distinct valid mainland mobile number (138 + 8 digits) and client address per request. */
function nextClient(base: number) {
  const i = counter++;
  return { number: `+86138${String(base + i).padStart(8, "0")}`, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
}

async function sendOnly(base: string, ids: ActionIds, numberBase: number) {
  let ok = 0;
  let failed = 0;
  // Each connection sends one request at a time, so its context can time each one.
  const latencies: number[] = [];
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    initialContext: {},
    requests: [
      {
        method: "POST",
        path: "/login",
        setupRequest: (req, context: { startedAt?: number }) => {
          context.startedAt = performance.now();
          const client = nextClient(numberBase);
          const { body, contentType } = actionBody({ country: "CN", number: client.number, terms: "on" });
          return {
            ...req,
            body,
            headers: { "content-type": contentType, "next-action": ids.sendCode, origin: base, accept: "text/x-component", "x-forwarded-for": client.ip },
          };
        },
        onResponse: (status, _body, context: { startedAt?: number }, headers) => {
          latencies.push(performance.now() - (context.startedAt ?? performance.now()));
          if (status === 200 && header(headers, "x-action-redirect").some((v) => new URL(v, base).pathname.startsWith("/login/verify"))) ok++;
          else failed++;
        },
      },
    ],
  });
  const ms = (p: number) => percentile(latencies, p).toFixed(0);
  return { ok, failed, rps: ok / SECONDS, p50: ms(50), p95: ms(95), p99: ms(99) };
}

async function roundTrips(base: string, ids: ActionIds, numberBase: number) {
  let completed = 0;
  let failed = 0;
  const durations: number[] = [];
  type Ctx = { number?: string; ip?: string; cookie?: string; code?: string; startedAt?: number };
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    initialContext: {},
    requests: [
      {
        method: "POST",
        path: "/login",
        setupRequest: (req, context: Ctx) => {
          const client = nextClient(numberBase);
          Object.assign(context, { ...client, startedAt: performance.now(), cookie: undefined, code: undefined });
          const { body, contentType } = actionBody({ country: "CN", number: client.number, terms: "on" });
          return {
            ...req,
            body,
            headers: { "content-type": contentType, "next-action": ids.sendCode, origin: base, accept: "text/x-component", "x-forwarded-for": client.ip },
          };
        },
        onResponse: (_status, _body, context: Ctx, headers) => {
          context.cookie = header(headers, "set-cookie").find((c) => c.startsWith("reclaim_otp="))?.split(";")[0];
        },
      },
      {
        method: "GET",
        setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/dev/sms?to=${encodeURIComponent(context.number ?? "")}` }),
        onResponse: (_status, body, context: Ctx) => {
          try {
            const parsed = JSON.parse(body) as { messages: { body: string }[] };
            context.code = /(\d{6})/.exec(parsed.messages[0]?.body ?? "")?.[1];
          } catch {
            context.code = undefined;
          }
        },
      },
      {
        method: "POST",
        path: "/login/verify",
        setupRequest: (req, context: Ctx) => {
          const { body, contentType } = actionBody({ code: context.code ?? "000000" });
          return {
            ...req,
            body,
            headers: {
              "content-type": contentType,
              "next-action": ids.submitCode,
              origin: base,
              accept: "text/x-component",
              "x-forwarded-for": context.ip ?? "10.255.255.255",
              cookie: context.cookie ?? "",
            },
          };
        },
        onResponse: (status, _body, context: Ctx, headers) => {
          const session = header(headers, "set-cookie").some((c) => c.startsWith("authjs.session-token="));
          if (status === 200 && session && header(headers, "x-action-redirect").some((v) => new URL(v, base).pathname.startsWith("/me"))) {
            completed++;
            durations.push(performance.now() - (context.startedAt ?? performance.now()));
          } else failed++;
        },
      },
    ],
  });
  return { completed, failed, perSecond: completed / SECONDS, p50: percentile(durations, 50), p95: percentile(durations, 95) };
}

async function measure(engine: string, env: Record<string, string>, numberBase: number) {
  const app = await startApp(env);
  try {
    const ids = actionIds();
    const send = await sendOnly(app.base, ids, numberBase);
    const trips = await roundTrips(app.base, ids, numberBase + 5_000_000);
    return { engine, send, trips };
  } finally {
    await app.stop();
  }
}

async function main() {
  if (!haveBuild()) {
    console.log("bench/otp: no production build (run `npm run build` first); skipped");
    return;
  }
  const rows = [await measure("pglite", {}, 10_000_000)];
  if (process.env.DATABASE_URL) {
    const name = `reclaim_bench_${randomBytes(4).toString("hex")}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`create database "${name}"`);
    try {
      rows.push(await measure("postgres", { DATABASE_URL: withDatabase(process.env.DATABASE_URL, name) }, 30_000_000));
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }

  console.log(`bench/otp: owner sign-in by SMS code (next start, autocannon, ${CONNECTIONS} connections, ${SECONDS} s per phase)`);
  console.log("engine    send req/s  send p50/p95/p99 ms   round trips/s  round trip p50/p95 ms  failures");
  for (const { engine, send, trips } of rows) {
    console.log(
      `${engine.padEnd(9)} ${send.rps.toFixed(1).padStart(10)}  ${`${send.p50}/${send.p95}/${send.p99}`.padEnd(20)} ` +
        `${trips.perSecond.toFixed(1).padStart(13)}  ${`${trips.p50.toFixed(0)}/${trips.p95.toFixed(0)}`.padEnd(21)} ${send.failed + trips.failed}`,
    );
  }
  if (rows.some((r) => r.send.ok === 0 || r.trips.completed === 0)) {
    console.error("bench/otp: the sign-in flow did not complete; see the failures column");
    process.exitCode = 1;
  }
}

void main();
