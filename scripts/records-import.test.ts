import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberTenures } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { recordsImport } from "./records-import";

describe("npm run records:import", () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    dir = mkdtempSync(path.join(tmpdir(), "records-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.dispose();
  });

  const cli = async (argv: string[], tty = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const drawn: string[] = [];
    const code = await recordsImport(t.db, argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tty: tty ? { write: (s) => drawn.push(s), columns: 80 } : undefined,
      now: () => new Date("2026-11-28T10:00:00+08:00"),
    });
    return { code, out, err, drawn };
  };
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("imports a file, prints a summary and a progress bar on a terminal, and exits 0", async () => {
    const p = file("good.csv", "number,carrier,event,date\n13600000001,CMCC,activated,2025-01-01\n13600000001,CMCC,cancelled,2025-09-01\n");
    const run = await cli(["--", p], true);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toEqual([expect.stringContaining("2 rows; 2 events imported, 0 already on record, 0 problems")]);
    expect(run.drawn.join("")).toContain("reading [########################################] 100%");
    expect(run.drawn.join("")).toContain("writing [########################################] 2/2 events");
    expect(await t.db.select().from(numberTenures).where(eq(numberTenures.number, "+8613600000001"))).toHaveLength(1);
    // Again: nothing changes, still 0; no bar when not a terminal.
    const again = await cli([p]);
    expect(again).toMatchObject({ code: 0, drawn: [] });
    expect(again.out[0]).toContain("0 events imported, 2 already on record");
  });

  it("lists every bad row on stderr without its values, imports the rest, and exits 1", async () => {
    const p = file("mixed.csv", "number,carrier,event,date\n13600000002,cmcc,activated,2025-01-01\n13600000003,cmcc,exploded,2025-01-01\n12,cmcc,activated,2030-01-01\n");
    const run = await cli([p]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(["row 3, event: unknown event (expected one of activated, cancelled, reissued, sim_changed, ported_in, ported_out)", "row 4, number: not a valid mainland China mobile number", "row 4, date: in the future"]);
    expect(run.out[0]).toContain("1 events imported, 0 already on record, 3 problems (2 rows not imported)");
    expect(run.err.join("\n")).not.toContain("13600000003");
  });

  it("explains its usage and a missing file", async () => {
    expect((await cli([])).code).toBe(2);
    const missing = await cli([path.join(dir, "nope.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain("cannot read");
  });
});
