import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle } from "../db";
import { migrateDatabase } from "../db/migrate";
import { platforms } from "../db/schema";
import { seedDatabase } from "../db/seed";
import { withDatabase } from "../db/testing";
import { startPartnerServer } from "../sandbox/partner/server";
import { fakeClock } from "../lib/clock";
import { TERMS_VERSION } from "../lib/otp/config";
import type { EgressPolicy } from "../lib/platforms/egress";
import { classifyMessage } from "../lib/reports/classify";
import { stripImageMetadata } from "../lib/reports/image-metadata";
import { LABELLED_MESSAGES } from "../lib/reports/__fixtures__/labelled-messages";
import { redact } from "../lib/reports/redact";
import { createReport } from "../lib/reports/service";
import { memoryEvidenceStore } from "../lib/reports/testing";
import { dispatchOnce } from "../lib/outbox/dispatch";
import { adminQuery } from "./lib/postgres";

/**
 * Reports (lib/reports): what one report costs the server.
 *  (a) classifyMessage over the labelled set: µs per message (it also runs in the owner's browser
 *      on every keystroke, so it must stay well under a frame, 16 ms);
 *  (b) redact on a 2,000-character debt message (the longest a report takes): ms, median and p95;
 *  (c) stripImageMetadata on the JPEG fixture: ms per file;
 *  (d) createReport (classify, encrypt, dedupe HMAC, one transaction with the outbox row): ms per
 *      report, median and p95, for 400 reports from 20 owners (the daily limit each);
 *  (e) forwarding those 400 to the reference partner server (decrypt, redact, signed POST):
 *      reports/s, with every report forwarded exactly once.
 * (d) and (e) run on PGlite in memory and on the Postgres server (BENCH_DATABASE_URL, else
 * DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; skipped when none answers).
 * Prints figures; asserts nothing about timing; exits non-zero when a report is lost or sent twice.
 */
const OWNERS = 20;
const PER_OWNER = 20;
const POLICY: EgressPolicy = { allowLoopback: true, requireHttps: false };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const fmt = (n: number, digits = 2) => n.toFixed(digits);

function pureFigures() {
  // (a) Warm up, then time the labelled set many times over.
  for (const m of LABELLED_MESSAGES) classifyMessage(m);
  const rounds = 40;
  let start = performance.now();
  for (let r = 0; r < rounds; r++) for (const m of LABELLED_MESSAGES) classifyMessage(m);
  const perMessageUs = ((performance.now() - start) * 1000) / (rounds * LABELLED_MESSAGES.length);
  console.log(`(a) classifyMessage: ${fmt(perMessageUs, 1)} µs per message (${LABELLED_MESSAGES.length} labelled messages × ${rounds})`);

  // (b) The longest message a report takes, full of what redaction looks for.
  const unit = "尊敬的刘伟先生，您在易贷花的借款3,280.50元已逾期，请联系13812345678或010-62345678，身份证110101199003071233。";
  const long = unit.repeat(Math.ceil(2000 / unit.length)).slice(0, 2000);
  const times: number[] = [];
  let masked = 0;
  for (let i = 0; i < 300; i++) {
    start = performance.now();
    masked = redact(long).redactions.length;
    times.push(performance.now() - start);
  }
  console.log(`(b) redact, 2,000 characters (${masked} spans masked): median ${fmt(quantile(times, 0.5))} ms, p95 ${fmt(quantile(times, 0.95))} ms`);

  // (c) A real encoder's JPEG with EXIF (GPS), XMP and an ICC profile.
  const jpeg = readFileSync(path.join(import.meta.dirname, "../lib/reports/__fixtures__/real.jpg"));
  const strips: number[] = [];
  for (let i = 0; i < 2000; i++) {
    start = performance.now();
    stripImageMetadata(jpeg, "jpeg");
    strips.push(performance.now() - start);
  }
  console.log(`(c) stripImageMetadata, ${jpeg.length}-byte JPEG: median ${fmt(quantile(strips, 0.5), 3)} ms`);
}

async function dbFigures(label: string, handle: DatabaseHandle) {
  const db = handle.db;
  await migrateDatabase(handle);
  await seedDatabase(db);
  const partner = await startPartnerServer({ callbackUrl: "http://127.0.0.1:9/api/partner/v1/unbind-results", jwks: { keys: [] } });
  try {
    partner.setKnobs("*", { report: { statuses: [] } });
    const clock = fakeClock("2026-11-29T02:00:00Z");
    await db.update(platforms).set({ baseUrl: sql`${partner.url} || '/' || ${platforms.slug}` });
    const [platform] = await queryRows<{ id: string }>(db, sql`select id from platforms where slug = 'easy-credit'`);
    const owners = await queryRows<{ id: string; number: string }>(
      db,
      sql`insert into owners (number, terms_version, terms_accepted_at)
          select '+86139' || lpad((30000000 + g)::text, 8, '0'), ${TERMS_VERSION}, now() from generate_series(1, ${OWNERS}::int) g
          returning id, number`,
    );
    await db.execute(sql`insert into number_tenures (number, carrier_id, started_at, source)
      select number, (select id from carriers where code = 'cmcc'), '2026-03-15T02:30:00Z', 'carrier_record' from owners where number like '+861393%'`);

    const store = memoryEvidenceStore();
    const latencies: number[] = [];
    for (let i = 0; i < PER_OWNER; i++) {
      for (const owner of owners) {
        const start = performance.now();
        const result = await createReport(db, store, {
          ownerId: owner.id,
          number: owner.number,
          report: { channel: "sms", text: `【易贷花】刘某某 因欠款逾期（第${i}次提醒），我们工作人员已驱车前往您居住地，请联系 13812345678。`, receivedAt: clock.now(), platformId: platform!.id },
          evidence: [],
          now: clock.now(),
        });
        latencies.push(performance.now() - start);
        if (!result.ok || result.merged) throw new Error(`bench/reports: report refused (${JSON.stringify(result)})`);
      }
    }
    const total = OWNERS * PER_OWNER;
    console.log(`(d) ${label}: createReport median ${fmt(quantile(latencies, 0.5))} ms, p95 ${fmt(quantile(latencies, 0.95))} ms (${total} reports)`);

    const start = performance.now();
    let delivered = 0;
    for (;;) {
      const round = await dispatchOnce({ db, clock, policy: POLICY, env: { SANDBOX_PARTNER_URL: partner.url }, timeoutMs: 10_000 }, { limit: 64 });
      delivered += round.delivered;
      if (round.claimed === 0) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const received = Object.values(partner.stats().reports);
    const once = received.length === total && received.every((r) => r.deliveries === 1);
    const [forwarded] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from reports where status = 'forwarded'`);
    console.log(`(e) ${label}: forwarded ${delivered} reports in ${fmt(seconds)} s = ${fmt(delivered / seconds, 0)} reports/s; each received once: ${once}; status forwarded: ${forwarded?.n}`);
    if (!once || forwarded?.n !== total) process.exitCode = 1;
  } finally {
    await partner.close();
  }
}

async function main() {
  console.log("bench/reports — classification, redaction, metadata stripping, report creation and forwarding");
  pureFigures();
  const pglite = await openDatabase({ pgliteDir: "memory://" });
  try {
    await dbFigures("PGlite", pglite);
  } finally {
    await pglite.close();
  }
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `reclaim_bench_reports_${Date.now().toString(36)}`;
  try {
    await adminQuery(serverUrl, `create database "${name}"`);
  } catch {
    console.log("(d, e) Postgres: skipped (no server answers)");
    return;
  }
  const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, name) });
  try {
    await dbFigures("Postgres", handle);
  } finally {
    await handle.close();
    await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
  }
}

void main();
