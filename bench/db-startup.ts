import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, ping, type DatabaseConfig } from "../db";
import { migrateDatabase } from "../db/migrate";
import { seedDatabase } from "../db/seed";
import { createTestDatabase } from "../db/testing";

/**
 * What a cold `npm run dev` and every server start pay for the database: opening it, applying
 * migrations, seeding, and the health check's round trip. Prints figures; asserts nothing.
 */
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n: number) => `${n.toFixed(1)} ms`;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, config: DatabaseConfig, reopen: boolean) {
  let t = process.hrtime.bigint();
  const handle = await openDatabase(config);
  const open = ms(t);
  t = process.hrtime.bigint();
  await migrateDatabase(handle);
  const migrate = ms(t);
  t = process.hrtime.bigint();
  await seedDatabase(handle.db);
  const seed = ms(t);
  const pings: number[] = [];
  for (let i = 0; i < 500; i++) {
    const s = process.hrtime.bigint();
    await ping(handle.db);
    pings.push(ms(s));
  }
  await handle.close();
  let reopenMs: number | undefined;
  if (reopen) {
    t = process.hrtime.bigint();
    const again = await openDatabase(config);
    await migrateDatabase(again);
    reopenMs = ms(t);
    await again.close();
  }
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${label.padEnd(9)} first open ${fmt(open)} · migrate ${fmt(migrate)} · seed ${fmt(seed)} · ` +
      `ping p50 ${fmt(percentile(pings, 50))} p95 ${fmt(percentile(pings, 95))}` +
      (reopenMs !== undefined ? ` · restart (open + migrate no-op) ${fmt(reopenMs)}` : "") +
      ` · rss ${rss.toFixed(0)} MiB`,
  );
}

async function main() {
  console.log("bench/db-startup: database start-up cost");
  const dir = mkdtempSync(path.join(tmpdir(), "reclaim-bench-"));
  try {
    await measure("pglite", { pgliteDir: dir }, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.DATABASE_URL) {
    const target = await createTestDatabase({ migrate: false });
    await target.close();
    try {
      await measure("postgres", { databaseUrl: target.url }, true);
    } finally {
      await target.dispose().catch(() => undefined);
    }
  } else {
    console.log("postgres  (set DATABASE_URL to measure a Postgres server too)");
  }
}

void main();
