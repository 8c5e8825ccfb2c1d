import { mkdtempSync, rmSync, writeFileSync, createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle } from "../db";
import { migrateDatabase } from "../db/migrate";
import { seedDatabase } from "../db/seed";
import { withDatabase } from "../db/testing";
import { importCarrierRecords } from "../lib/records/import";
import { adminQuery } from "./lib/postgres";

/**
 * Carrier records (lib/records): `records:import` of a generated 100,000-row CSV — 25,000 numbers,
 * each activated, given a new SIM, cancelled and re-issued (four events a number, dates spread over
 * 2020–2025, every other row without an event id so half the ids are derived), written in shuffled
 * order so the import has to sort each number's events. Timed end to end (read, check, one
 * transaction of multi-row inserts and tenure writes), then the same file again (everything already
 * on record: what a re-import costs). On PGlite in memory (target < 1 min) and on the Postgres
 * server (BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
 * target < 15 s; skipped when none answers). Prints figures; exits non-zero when an event or tenure
 * is missing.
 */
const NUMBERS = 25_000;
const now = new Date("2026-11-28T10:00:00+08:00");

function generate(file: string) {
  const lines: string[] = [];
  const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < NUMBERS; i++) {
    const number = `158${String(i).padStart(8, "0")}`;
    const carrier = ["CMCC", "CUCC", "CTCC"][i % 3]!;
    const start = i % 700;
    const events: [string, number][] = [
      ["activated", start],
      ["sim_changed", start + 200],
      ["cancelled", start + 400],
      ["reissued", start + 600 + (i % 90)],
    ];
    events.forEach(([event, d], k) => lines.push(`${number},${carrier},${event},${day(d)},${(i + k) % 2 ? `bench-${i}-${k}` : ""}`));
  }
  // A deterministic shuffle (so runs compare): the file is not in date order.
  let seed = 42;
  for (let i = lines.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  writeFileSync(file, ["number,carrier,event,date,event_id", ...lines].join("\n") + "\n");
  return lines.length;
}

async function figures(label: string, handle: DatabaseHandle, file: string, rows: number) {
  await migrateDatabase(handle);
  await seedDatabase(handle.db);
  let start = performance.now();
  const first = await importCarrierRecords(handle.db, createReadStream(file), { now });
  const firstMs = performance.now() - start;
  start = performance.now();
  const again = await importCarrierRecords(handle.db, createReadStream(file), { now });
  const againMs = performance.now() - start;
  const [counts] = await queryRows<{ events: number; tenures: number; open: number }>(
    handle.db,
    // Read back what the import wrote, so a fast run that lost rows does not pass.
    sql`select (select count(*)::int from number_events) as events, (select count(*)::int from number_tenures where number like '+86158%') as tenures, (select count(*)::int from number_tenures where number like '+86158%' and ended_at is null) as open`,
  );
  console.log(
    `${label}: ${rows.toLocaleString("en")} rows imported in ${(firstMs / 1000).toFixed(2)} s (${Math.round(rows / (firstMs / 1000)).toLocaleString("en")} rows/s); ` +
      `again (all on record) ${(againMs / 1000).toFixed(2)} s; ${counts!.events} events, ${counts!.tenures} tenures (${counts!.open} open), ${first.problems.length} problems`,
  );
  if (first.imported !== rows || first.problems.length || again.imported !== 0 || again.alreadyOnRecord !== rows || counts!.events !== rows || counts!.tenures !== 2 * NUMBERS || counts!.open !== NUMBERS) {
    console.error(`${label}: the import lost or doubled something`);
    process.exitCode = 1;
  }
}

async function main() {
  console.log("bench/records — records:import of 100,000 carrier events");
  const dir = mkdtempSync(path.join(tmpdir(), "bench-records-"));
  const file = path.join(dir, "events.csv");
  try {
    const rows = generate(file);
    const pglite = await openDatabase({ pgliteDir: "memory://" });
    try {
      await figures("PGlite", pglite, file, rows);
    } finally {
      await pglite.close();
    }
    const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const name = `reclaim_bench_records_${Date.now().toString(36)}`;
    try {
      await adminQuery(serverUrl, `create database "${name}"`);
    } catch {
      console.log("Postgres: skipped (no server answers)");
      return;
    }
    const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, name) });
    try {
      await figures("Postgres", handle, file, rows);
    } finally {
      await handle.close();
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
