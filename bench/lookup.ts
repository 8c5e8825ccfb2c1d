import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { Client } from "pg";
import { eq, sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle } from "../db/index";
import { migrateDatabase } from "../db/migrate";
import { consents, numberTenures, owners, platforms } from "../db/schema";
import { sandboxSigningSecret } from "../db/seed-data";
import { startPartnerServer, type SandboxPlatform } from "../e2e/partner/server";
import { LOOKUP_CONSENT_VERSION } from "../lib/platforms/lookup";
import { haveBuild, startApp } from "./lib/server";

/**
 * The look-up fan-out (docs/lookup.md): 20 sandbox platforms answering after 50…800 ms plus one
 * that never answers, served by the reference partner server in this process, the app as a
 * production build on a fresh Postgres database.
 *   (a) time from the click (the POST) to the first answer on screen (its NDJSON line arriving),
 *   (b) time to the last answering platform's line,
 *   (c) (b) ÷ the slowest answering platform's own latency (800 ms): target ≤ 1.15,
 *   (d) look-ups per second at 50 concurrent owners (autocannon), with and without the silent platform.
 * Sessions are minted as Auth.js would (the same secret and salt), owners and consents inserted
 * directly: this measures the look-up, not the sign-in (bench/otp.ts measures that).
 */
const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const AUTH_SECRET = "bench-only-secret-0123456789abcdef0123456789";
const OWNERS = 50;
const SLOWEST_MS = 800;
const TENURE_START = new Date("2026-03-15T10:30:00+08:00");

const latencies = Array.from({ length: 20 }, (_, i) => Math.round(50 + (i * (SLOWEST_MS - 50)) / 19));
const benchPlatforms: SandboxPlatform[] = [
  ...latencies.map((ms, i) => ({ slug: `bench-${String(i).padStart(2, "0")}`, secret: sandboxSigningSecret(`bench-${i}`), knobs: { latencyMs: ms } })),
  { slug: "bench-silent", secret: sandboxSigningSecret("bench-silent"), knobs: { hang: true } },
];
const numberOf = (i: number) => `+86139${String(10_000_000 + i).slice(-8)}`;

async function admin(sql: string) {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function prepare(handle: DatabaseHandle, partnerUrl: string) {
  const db = handle.db;
  const rows = await db
    .insert(platforms)
    .values(
      benchPlatforms.map((p, i) => ({
        slug: p.slug,
        nameZh: `压测平台 ${i}`,
        nameEn: `Bench platform ${i}`,
        category: "social" as const,
        baseUrl: `${partnerUrl}/${p.slug}`,
        sandbox: true,
        signingSecrets: [p.secret],
      })),
    )
    .returning({ id: platforms.id });
  const ids = rows.map((r) => r.id);
  const cookies: string[] = [];
  for (let i = 0; i < OWNERS; i++) {
    const number = numberOf(i);
    const [owner] = await db.insert(owners).values({ number, termsVersion: "bench", termsAcceptedAt: new Date() }).returning({ id: owners.id });
    const [tenure] = await db.insert(numberTenures).values({ number, startedAt: TENURE_START, source: "carrier_record" }).returning({ id: numberTenures.id });
    await db.insert(consents).values({ ownerId: owner!.id, tenureId: tenure!.id, purpose: "platform_lookup", textVersion: LOOKUP_CONSENT_VERSION, platformIds: ids, givenAt: new Date() });
    const token = await encode({
      secret: AUTH_SECRET,
      salt: "authjs.session-token",
      token: { sub: owner!.id, role: "owner", number, otpVerifiedAt: new Date().toISOString(), signedInAt: Date.now() },
    });
    cookies.push(`authjs.session-token=${token}`);
  }
  return cookies;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function timedLookup(base: string, cookie: string) {
  const started = performance.now();
  const response = await fetch(`${base}/api/lookups`, { method: "POST", headers: { cookie, origin: base } });
  if (response.status !== 201 || !response.body) throw new Error(`look-up refused: ${response.status} ${await response.text()}`);
  let first = 0;
  let last = 0;
  let answered = 0;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const event = JSON.parse(buffer.slice(0, nl)) as { type: string; status?: string };
      buffer = buffer.slice(nl + 1);
      if (event.type === "result" && event.status !== "pending") {
        const at = performance.now() - started;
        if (!first) first = at;
        last = at;
        answered++;
      }
    }
  }
  return { first, last, answered, streamEnd: performance.now() - started };
}

async function load(base: string, cookies: string[], seconds: number) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: OWNERS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: "/api/lookups",
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, origin: base, cookie: cookies[next++ % cookies.length]! } }),
      },
    ],
  });
  return result;
}

async function main() {
  if (!haveBuild()) {
    console.log("bench/lookup: no production build (.next/BUILD_ID); run `npm run build` first. Skipped.");
    return;
  }
  const name = `bench_lookup_${process.pid}`;
  try {
    await admin(`create database ${name}`);
  } catch (error) {
    console.log(`bench/lookup: needs a Postgres server (${(error as Error).message}). Skipped.`);
    return;
  }
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const partner = await startPartnerServer({ platforms: benchPlatforms, bindings: {} });
  const handle = await openDatabase({ databaseUrl: url.toString() });
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    await migrateDatabase(handle);
    const cookies = await prepare(handle, partner.url);
    app = await startApp({
      DATABASE_URL: url.toString(),
      PGLITE_DIR: "",
      SEED_DEMO_DATA: "false",
      AUTH_SECRET,
      SANDBOX_PARTNER_URL: partner.url,
      LOOKUP_MIN_INTERVAL_SECONDS: "0",
      DISPATCHER: "off",
    });
    const base = app.base;
    await timedLookup(base, cookies[0]!); // warm-up: compiles routes, opens the pool

    const runs = [];
    for (let i = 0; i < 15; i++) runs.push(await timedLookup(base, cookies[i % cookies.length]!));
    const firsts = runs.map((r) => r.first);
    const lasts = runs.map((r) => r.last);
    const answered = runs.every((r) => r.answered === 20);

    const withSilent = await load(base, cookies, 15);
    await handle.db.update(platforms).set({ status: "paused" }).where(eq(platforms.slug, "bench-silent"));
    const withoutSilent = await load(base, cookies, 15);
    const [saved] = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from lookup_results where status <> 'pending'`);
    const count = saved?.count ?? 0;

    const fmt = (n: number) => `${Math.round(n)} ms`;
    console.log("\nbench/lookup — 20 platforms answering after 50…800 ms + 1 that never answers; Postgres; partner server on loopback");
    console.log(`  (a) first answer shown        median ${fmt(quantile(firsts, 0.5))}   p95 ${fmt(quantile(firsts, 0.95))}   (fastest platform: 50 ms)`);
    console.log(`  (b) all 20 answers shown      median ${fmt(quantile(lasts, 0.5))}   p95 ${fmt(quantile(lasts, 0.95))}   (every run got all 20: ${answered})`);
    console.log(`  (c) (b) ÷ slowest platform    median ${(quantile(lasts, 0.5) / SLOWEST_MS).toFixed(3)}   p95 ${(quantile(lasts, 0.95) / SLOWEST_MS).toFixed(3)}   (target ≤ 1.15)`);
    for (const [label, r] of [["with the silent platform (stream ends at the 3 s deadline)", withSilent], ["silent platform paused (bounded by the 800 ms one)", withoutSilent]] as const) {
      console.log(
        `  (d) ${OWNERS} concurrent owners, ${label}: ${r.requests.average.toFixed(1)} look-ups/s, latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`,
      );
    }
    console.log(`      answers saved in lookup_results: ${count}`);
  } finally {
    await app?.stop();
    await partner.close();
    await handle.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
