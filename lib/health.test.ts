import { afterAll, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { createTestDatabase } from "@/db/testing";
import { healthReport } from "./health";

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
});
