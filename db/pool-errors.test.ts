import { sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DatabaseError } from "@/lib/errors";
import { openDatabase, queryRows, type DatabaseHandle, type Db } from "./index";
import { createTestDatabase, type TestDatabase } from "./testing";

/**
 * Killing the app's connections (a failover, a restart, an operator's pg_terminate_backend) must
 * not crash the process: every pooled client has an 'error' listener (db/index.ts), a query on a
 * dead connection fails as DatabaseError { unavailable: true } (answered 503), and the pool opens a
 * new connection for the next one.
 */
describe.skipIf(!process.env.DATABASE_URL)("pool errors when the server kills the app's connections (postgres)", () => {
  let t: TestDatabase;
  let admin: Client;
  let handle: DatabaseHandle;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    handle = await openDatabase({ databaseUrl: t.url });
    admin = new Client({ connectionString: t.url });
    await admin.connect();
    process.on("uncaughtException", onUncaught);
  });
  afterAll(async () => {
    process.off("uncaughtException", onUncaught);
    await admin.end();
    await handle.close();
    await t.dispose();
  });
  afterEach(() => vi.restoreAllMocks());

  async function terminateOthers(): Promise<number> {
    const { rows } = await admin.query<{ n: number }>(
      "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    // Let the terminated sockets' 'error' and 'end' events fire before the next query.
    await new Promise((r) => setTimeout(r, 200));
    return rows[0]!.n;
  }

  async function one(db: Db): Promise<number> {
    const [row] = await queryRows<{ one: number }>(db, sql`select 1 as one`);
    return row!.one;
  }

  /** The next query succeeds (pool reconnected) or fails as "unavailable", and the one after succeeds. */
  async function expectRecovery(query: () => Promise<number>) {
    try {
      expect(await query()).toBe(1);
    } catch (err) {
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).unavailable).toBe(true);
    }
    expect(await query()).toBe(1);
  }

  it("survives the pool's idle connections being terminated", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // Several connections in the pool, all idle afterwards.
    await Promise.all([1, 2, 3].map(() => one(handle.db)));
    expect(await terminateOthers()).toBeGreaterThan(0);
    await expectRecovery(() => one(handle.db));
    expect(uncaught).toEqual([]);
    // Logged by SQLSTATE / driver code only, never by the driver's message.
    expect(JSON.stringify(logged.mock.calls)).not.toMatch(/terminating connection due to administrator command/);
  });

  it("survives the connection held by withConnection being terminated between two queries", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(
      handle.withConnection(async (db) => {
        expect(await one(db)).toBe(1);
        expect(await terminateOthers()).toBeGreaterThan(0);
        // The held client emitted 'error' while idle in our hands: with no listener that was an
        // uncaughtException. Now it is logged, and its next query fails as unavailable.
        return one(db);
      }),
    ).rejects.toMatchObject({ name: "DatabaseError", unavailable: true });
    expect(uncaught).toEqual([]);
    expect(logged.mock.calls.some((c) => String(c[0]).startsWith("[db:postgres:client] DatabaseError code="))).toBe(true);
    expect(JSON.stringify(logged.mock.calls)).not.toMatch(/terminating connection due to administrator command/);
    // The dead client was not returned to the pool: the next connection and the pool both work.
    await expectRecovery(() => handle.withConnection(one));
    await expectRecovery(() => one(handle.db));
  });

  it("survives a transaction's connection being terminated", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(
      handle.db.transaction(async (tx) => {
        await one(tx as unknown as Db);
        await terminateOthers();
        await one(tx as unknown as Db);
      }),
    ).rejects.toBeDefined();
    expect(uncaught).toEqual([]);
    await expectRecovery(() => one(handle.db));
  });
});
