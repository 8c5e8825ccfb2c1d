import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The wrapper's collaborators: translations (echo the key and values) and the guard's verdict.
const denied = vi.hoisted(() => ({ value: null as null | string }));
vi.mock("next-intl/server", () => {
  const t = Object.assign((key: string, values?: Record<string, unknown>) => (values && Object.keys(values).length ? `${key} ${JSON.stringify(values)}` : key), {
    has: (key: string) => !key.includes(" ") && key.includes("."),
  });
  // waitPhrase's formatter: "in N seconds" as a plain string the assertions can read.
  const getFormatter = async () => ({ relativeTime: (at: Date, { now }: { now: Date }) => `in ${Math.round((at.getTime() - now.getTime()) / 1000)}s` });
  return { getTranslations: async () => t, getFormatter };
});
vi.mock("@/lib/auth/guards", () => ({
  forPage: async (guard: { name: string }) => {
    if (denied.value) throw Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;replace;${denied.value};307;` });
    return { kind: "owner", id: "owner-1", number: "+8613800138000", guard: guard.name };
  },
}));

const { action, formPost } = await import("./actions");
const { AppError, DatabaseError } = await import("./errors");
const { signInOwner } = await import("./auth/owner");
const { createTestDatabase } = await import("@/db/testing");

const guard = { name: "owner", resolve: async () => ({ ok: true as const, principal: null }) };
const schema = z.object({ text: z.string().min(1, { message: "reports.errors.textRequired" }), n: z.string().regex(/^\d+$/).optional() });
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

beforeEach(() => {
  denied.value = null;
});

describe("action(schema, guard, run)", () => {
  it("runs the guard before reading a field: a signed-out post is redirected, not validated", async () => {
    denied.value = "/login";
    const run = vi.fn();
    await expect(action(schema, guard, run)({ ok: false }, form({}))).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
    expect(run).not.toHaveBeenCalled();
  });

  it("hands the guard's principal and the parsed, cleaned fields to run", async () => {
    const run = vi.fn(async () => ({ ok: true }));
    await action(schema, guard, run)({ ok: false }, form({ text: "a\u0000b" }));
    expect(run).toHaveBeenCalledWith(expect.objectContaining({ data: { text: "ab" }, who: expect.objectContaining({ id: "owner-1", guard: "owner" }) }));
  });

  it("translates zod issues per field, with a general line for a rule without a key, and keeps what was typed", async () => {
    const state = await action(schema, guard, vi.fn(), { keep: ["text", "n"] })({ ok: false }, form({ text: "", n: "x" }));
    expect(state).toEqual({
      ok: false,
      message: "forms.fixErrors",
      fieldErrors: { text: "reports.errors.textRequired", n: "forms.invalidField" },
      values: { text: "", n: "x" },
    });
  });

  it("refuses an argument list that is not FormData", async () => {
    expect(await action(schema, guard, vi.fn())({ ok: false }, "x" as unknown as FormData)).toEqual({ ok: false, message: "forms.badRequest" });
  });

  it("shows an AppError's own message beside its field", async () => {
    const run = async () => {
      throw new AppError("invalid:field", { field: "text" });
    };
    const state = await action(schema, guard, run, { keep: ["text"] })({ ok: false }, form({ text: "hello" }));
    expect(state).toEqual({ ok: false, message: "forms.invalidField", fieldErrors: { text: "forms.invalidField" }, values: { text: "hello" } });
  });

  it("shows a wait as words: retryAfterSeconds becomes {when}", async () => {
    const run = async () => {
      throw new AppError("rate_limited:otp", { status: 429, details: { retryAfterSeconds: 90 }, field: "number" });
    };
    const state = await action(schema, guard, run)({ ok: false }, form({ text: "x" }));
    expect(state).toMatchObject({ ok: false, message: 'login.errors.rateLimited {"when":"in 90s"}', fieldErrors: { number: 'login.errors.rateLimited {"when":"in 90s"}' } });
  });

  it("logs any other error by code and request id only, and hands the fields back", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const run = async () => {
      throw new DatabaseError({ code: "23505", constraint: "reports_pkey", unavailable: false });
    };
    const state = await action(schema, guard, run, { keep: ["text"] })({ ok: false }, form({ text: "刘某某 +8613800138000" }));
    expect(state).toMatchObject({ ok: false, message: expect.stringMatching(/^forms\.unexpected \{"requestId":"[0-9a-f-]+"\}$/), values: { text: "刘某某 +8613800138000" } });
    const logged = log.mock.calls.flat().map(String).join(" ");
    expect(logged).toContain("23505");
    expect(logged).not.toContain("8613800138000");
    log.mockRestore();
  });

  it("lets redirect() through as the answer it is", async () => {
    const run = async () => {
      throw Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/reports/1;307;" });
    };
    await expect(action(schema, guard, run)({ ok: false }, form({ text: "x" }))).rejects.toMatchObject({ digest: expect.stringContaining("/reports/1") });
  });
});

describe("a database error on an owner path", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A failing trigger on the owners table, whose own message even names the value.
    await db.db.execute(sql.raw(`create function refuse_owner() returns trigger language plpgsql as $$ begin raise exception 'refused %', new.number using errcode = 'P0001'; end $$`));
    await db.db.execute(sql.raw(`create trigger refuse_owner before insert on owners for each row execute function refuse_owner()`));
  });
  afterAll(() => db?.dispose());

  it("reaches the log as its SQLSTATE and a request id, never with the number it was about", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => inspect(a, { depth: 10 })).join(" ")));
    try {
      const run = async () => {
        await signInOwner(db.db, { number: "+8613912345678", verifiedAt: new Date(), termsVersion: null });
        return { ok: true };
      };
      const state = await action(schema, guard, run)({ ok: false }, form({ text: "x" }));
      expect(state.message).toMatch(/^forms\.unexpected/);
      expect(lines.join("\n")).toMatch(/\[action\] DatabaseError code=P0001 request=[0-9a-f]{8}/);
      expect(lines.join("\n")).not.toMatch(/13912345678|params|refused/);
    } finally {
      log.mockRestore();
    }
  });
});

describe("formPost(schema, guard, run)", () => {
  it("runs only for a guarded, valid FormData post", async () => {
    const run = vi.fn(async () => {});
    const post = formPost(schema, guard, run);
    await post("x" as unknown as FormData);
    await post(form({ text: "" }));
    expect(run).not.toHaveBeenCalled();
    denied.value = "/login";
    await expect(post(form({ text: "x" }))).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
    denied.value = null;
    await post(form({ text: "x" }));
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe("every server action is built with action() or formPost()", () => {
  const root = path.resolve(__dirname, "..");
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return sources(full);
      return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
    });
  const files = ["app", "components", "lib"].flatMap((dir) => sources(path.join(root, dir)));

  /** The exports of a "use server" file that are not `export const x = action(` / `formPost(`. */
  function unguardedExports(source: string): string[] {
    const exports = source.match(/^export\s.*$/gm) ?? [];
    return exports.filter((line) => !/^export const \w+ = (action|formPost)\(/.test(line) && !/^export (type|interface) /.test(line));
  }

  it("finds the server action files", () => {
    const actionFiles = files.filter((f) => /^\s*["']use server["']/.test(readFileSync(f, "utf8")));
    expect(actionFiles.length).toBeGreaterThanOrEqual(8);
    for (const file of actionFiles) expect({ file: path.relative(root, file), unguarded: unguardedExports(readFileSync(file, "utf8")) }).toEqual({ file: path.relative(root, file), unguarded: [] });
  });

  it("finds no inline \"use server\" function (it would skip the wrapper)", () => {
    const inline = files.filter((f) => {
      const body = readFileSync(f, "utf8").replace(/^\s*["']use server["'];?/, "");
      return /["']use server["']/.test(body);
    });
    expect(inline.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("would catch an action written by hand", () => {
    expect(unguardedExports('"use server";\nexport async function leak(formData: FormData) {}\nexport const ok = action(s, owner, run);')).toEqual(["export async function leak(formData: FormData) {}"]);
  });
});
