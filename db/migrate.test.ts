import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type DatabaseHandle } from "./index";
import { appliedMigrationCount, migrateDatabase, MIGRATIONS_FOLDER } from "./migrate";
import { createTestDatabase, type TestDatabase } from "./testing";
import { forgetEnv } from "@/lib/env";

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
  entries: unknown[];
};

describe(`migrations (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.dispose());

  it("applies every committed migration to an empty database and creates the tables", async () => {
    expect(await appliedMigrationCount(t.db)).toBe(0);
    expect(await migrateDatabase(t)).toBe(journal.entries.length);
    const tables = await queryRows<{ name: string }>(
      t.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((r) => r.name)).toEqual(
      expect.arrayContaining(["audit_log", "carriers", "number_tenures", "platforms", "staff_users"]),
    );
  });

  it("is a no-op the second time", async () => {
    expect(await migrateDatabase(t)).toBe(journal.entries.length);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("migrations on two instances at once (postgres)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.dispose());

  it("serialises concurrent start-ups with the advisory lock: all succeed, each migration applied once", async () => {
    const instances = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ databaseUrl: t.url })));
    try {
      const counts = await Promise.all(instances.map((i) => migrateDatabase(i)));
      expect(counts).toEqual(counts.map(() => journal.entries.length));
      const [row] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(row?.n).toBe(journal.entries.length);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("migrations behind a transaction-mode pooler (postgres)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.dispose());

  // Stands for @vercel/postgres on Neon's pooled POSTGRES_URL: any use of it would be through the
  // pooler, where a session advisory lock does not hold, so the test fails if it is used at all.
  const pooled: DatabaseHandle = {
    engine: "vercel-postgres",
    get db(): never {
      throw new Error("the pooled handle was used to migrate");
    },
    withConnection: () => Promise.reject(new Error("the pooled handle was used to migrate")),
    close: async () => {},
  };

  it("migrates over the direct (non-pooling) URL, concurrently, and leaves no advisory lock behind", async () => {
    const counts = await Promise.all([1, 2, 3].map(() => migrateDatabase(pooled, { directUrl: t.url })));
    expect(counts).toEqual(counts.map(() => journal.entries.length));
    const [row] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(row?.n).toBe(journal.entries.length);
    const [locks] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
    expect(locks?.n).toBe(0);
  });

  it("reads POSTGRES_URL_NON_POOLING for a @vercel/postgres handle", async () => {
    const saved = process.env.POSTGRES_URL_NON_POOLING;
    process.env.POSTGRES_URL_NON_POOLING = t.url;
    forgetEnv();
    try {
      expect(await migrateDatabase(pooled)).toBe(journal.entries.length);
    } finally {
      if (saved === undefined) delete process.env.POSTGRES_URL_NON_POOLING;
      else process.env.POSTGRES_URL_NON_POOLING = saved;
      forgetEnv();
    }
  });
});
