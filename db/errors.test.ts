import { spawnSync } from "node:child_process";
import path from "node:path";
import { inspect } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signInOwner } from "@/lib/auth/owner";
import { DatabaseError, logServerError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { createTestDatabase, type TestDatabase } from "./testing";

const NUMBER = "+8613912345678";

describe("database errors never carry a query's parameters (both engines)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    // A failing trigger on an owner path, whose own message even names the value.
    await t.db.execute(
      sql.raw(`create function refuse_owner() returns trigger language plpgsql as $$
        begin raise exception 'refused %', new.number using errcode = 'P0001'; end $$`),
    );
    await t.db.execute(sql.raw(`create trigger refuse_owner before insert on owners for each row execute function refuse_owner()`));
  });
  afterAll(() => t?.dispose());

  it("signing in an owner fails with a DatabaseError that names the SQLSTATE, not the number", async () => {
    const error = await signInOwner(t.db, { number: NUMBER, verifiedAt: new Date(), termsVersion: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: "P0001", unavailable: false });
    // Everything a logger could print: message, stack, inspection (with causes), JSON.
    const printed = [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
    expect(printed).not.toContain("13912345678");
    expect(printed).not.toMatch(/params|Failed query|refused/);
  });

  it("what reaches the log through logServerError and a route handler is the code and a request id", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => inspect(a, { depth: 10 })).join(" ")));
    try {
      const error = await signInOwner(t.db, { number: NUMBER, verifiedAt: new Date(), termsVersion: null }).catch((e: unknown) => e);
      const id = logServerError("test", error);
      const response = await route("owner-test", async () => {
        await signInOwner(t.db, { number: NUMBER, verifiedAt: new Date(), termsVersion: null });
        return Response.json({ ok: true });
      })(new Request("http://127.0.0.1/api/x", { method: "POST", body: "{}" }));
      expect(response.status).toBe(500);
      expect(lines.join("\n")).toContain(`code=P0001 request=${id}`);
      expect(lines.join("\n")).not.toContain("13912345678");
    } finally {
      spy.mockRestore();
    }
  });

  it("a unique violation keeps the constraint name but not Postgres' detail, which quotes the value", async () => {
    await t.db.execute(sql`drop trigger refuse_owner on owners`);
    await signInOwner(t.db, { number: NUMBER, verifiedAt: new Date(), termsVersion: null });
    const error = await t.db
      .execute(sql`insert into owners (number, terms_version, terms_accepted_at) values (${NUMBER}, 'x', now())`)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "23505", constraint: "owners_number_unique" });
    expect(inspect(error, { depth: 10 })).not.toContain("13912345678");
  });
});

describe("under tsx too (npm run worker, scripts), where drizzle is loaded twice", () => {
  it("a failed query's error names the SQLSTATE, not the number", () => {
    // tsx loads drizzle's CommonJS build for static imports and its ES module build for the drivers'
    // dynamic imports: both copies must be patched (db/index.ts sanitiseDriverCopy).
    const run = spawnSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.resolve(__dirname, "testing-tsx-error.ts")], {
      encoding: "utf8",
      timeout: 90_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("database error P0001");
    expect(run.stdout + run.stderr).not.toContain("13912345678");
  }, 120_000);
});
