import { afterAll, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { openDatabase } from "@/db";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { createTestDatabase } from "@/db/testing";
import { randomUUID } from "node:crypto";
import { outbox } from "@/db/schema";
import { dispatcherBacklog, healthReport } from "./health";

const committedMigrations = (
  JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }
).entries.length;

describe("health report", () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(opened.map((h) => h.close())));

  it("is ok with the engine and the migration count when the database answers", async () => {
    const t = await createTestDatabase();
    opened.push({ close: t.dispose });
    const report = await healthReport(async () => ({ handle: t, migrations: 1 }));
    expect(report).toEqual({
      httpStatus: 200,
      body: { status: "ok", db: process.env.DATABASE_URL ? "postgres" : "pglite", migrations: committedMigrations },
    });
  });

  it("is 503 with a reason, and no connection details, when the database is unreachable", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // Nothing listens on port 1: a real connection failure, not a simulated one.
    const handle = await openDatabase({ databaseUrl: "postgres://reclaim:s3cret@127.0.0.1:1/reclaim" });
    opened.push(handle);
    const report = await healthReport(async () => ({ handle, migrations: 0 }));
    expect(report).toEqual({ httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } });
    expect(JSON.stringify(errors.mock.calls)).not.toContain("s3cret");
    errors.mockRestore();
  });

  it("is 503 when the database does not answer in time, instead of holding the request", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const report = await healthReport(() => new Promise(() => {}), { timeoutMs: 50 });
    expect(report).toEqual({ httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } });
    errors.mockRestore();
  });
});

describe("the dispatcher's backlog", () => {
  it("counts what waits, the oldest one's time and what is overdue, and nothing delivered or given up", async () => {
    const t = await createTestDatabase();
    try {
      const now = new Date("2026-11-28T10:00:00+08:00");
      const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
      expect(await dispatcherBacklog(t.db, now)).toEqual({ waiting: 0, oldestSince: null, overdue: 0, state: "ok" });

      const row = (createdAt: Date, nextAttemptAt: Date, status: "pending" | "delivered" | "dead" = "pending") => ({
        kind: "owner_sms" as const,
        messageId: randomUUID(),
        status,
        createdAt,
        nextAttemptAt,
      });
      // Due a minute ago, and one waiting for a retry in ten: both wait, neither is overdue yet.
      await t.db.insert(outbox).values([row(ago(1), ago(1)), row(ago(30), new Date(now.getTime() + 10 * 60_000)), row(ago(90), ago(90), "delivered"), row(ago(120), ago(120), "dead")]);
      expect(await dispatcherBacklog(t.db, now)).toEqual({ waiting: 2, oldestSince: ago(30), overdue: 0, state: "ok" });

      // Due for six minutes and still here: no dispatcher is getting to it.
      await t.db.insert(outbox).values(row(ago(6), ago(6)));
      expect(await dispatcherBacklog(t.db, now)).toEqual({ waiting: 3, oldestSince: ago(30), overdue: 1, state: "behind" });
    } finally {
      await t.dispose();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)("health report through a database outage (postgres)", () => {
  it("answers 503 while the database refuses connections and 200 again once it is back, on the same handle", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = await createTestDatabase();
    const name = new URL(t.url!).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const ready = async () => ({ handle: t, migrations: 0 });
      expect((await healthReport(ready)).httpStatus).toBe(200);
      // The database goes away: no new connections, and every existing one is killed.
      await admin.query(`alter database "${name}" allow_connections false`);
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
      expect(await healthReport(ready)).toEqual({ httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } });
      expect(await healthReport(ready)).toEqual({ httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } });
      // It comes back: the next check is healthy without reopening anything.
      await admin.query(`alter database "${name}" allow_connections true`);
      expect((await healthReport(ready)).httpStatus).toBe(200);
    } finally {
      await admin.query(`alter database "${name}" allow_connections true`).catch(() => {});
      await admin.end();
      await t.dispose();
      errors.mockRestore();
    }
  });
});
