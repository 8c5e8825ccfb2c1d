import { randomUUID } from "node:crypto";
import path from "node:path";
import { eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The server actions against docs/access.md's "Server actions" table. A server action is a public
 * POST endpoint: every exported action of every "use server" module (read from the file system)
 * must have a row, and each kind of visitor is refused exactly as its cell says, before the action
 * reads anything; an action that names an object refuses another's (or an unknown) one as "not
 * found" and writes nothing. Generic over the table: a new action is one row there, and a new kind
 * of object one entry in OBJECTS below.
 */

const session = vi.hoisted(() => ({ user: null as null | Record<string, unknown>, path: "/" }));
// Where the guard hands over: in "guard" mode an admitted visitor stops right there (Admitted), so
// no action body runs; in "run" mode the action runs on the test database.
const mode = vi.hoisted(() => ({ stopAtGuard: true, db: null as unknown, dbReads: 0 }));
const Admitted = vi.hoisted(() => class Admitted extends Error {});

vi.mock("@/auth", () => ({
  auth: async () => (session.user ? { user: session.user } : null),
  signIn: async () => {
    throw new Error("signIn is not part of this test");
  },
  OtpSignInError: class OtpSignInError extends Error {},
}));
// next-auth's own modules do not load outside Next (they import "next/server" without an extension).
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/db/startup", () => ({ prepareDatabase: async () => ({ handle: { db: mode.db } }) }));
vi.mock("@/lib/auth/staff", async (importOriginal) => ({ ...(await importOriginal<object>()), staffSessionValid: async () => true }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-reclaim-path": session.path }),
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next-intl/server", () => {
  const t = Object.assign((key: string) => key, { has: () => true });
  return { getTranslations: async () => t, getLocale: async () => "zh-CN", getFormatter: async () => ({ relativeTime: () => "soon" }) };
});
vi.mock("@/lib/auth/guards", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./guards")>();
  return {
    ...actual,
    forPage: async <P,>(guard: import("./guards").Guard<P>): Promise<P> => {
      const principal = await actual.forPage(guard);
      if (mode.stopAtGuard) throw new Admitted();
      return principal;
    },
  };
});

const { VISITORS, actionTable, serverActions } = await import("./access-table");
type Visitor = (typeof VISITORS)[number];
const { homeFor } = await import("./roles");
const { createTestDatabase } = await import("@/db/testing");
const { seedDatabase } = await import("@/db/seed");
const { DEMO_OWNER_NUMBER } = await import("@/db/seed-data");
const { carriers, numberTenures, outbox, owners, platforms, staffUsers, unbindBatches, unbindItems } = await import("@/db/schema");
const { assignCase, openCase } = await import("@/lib/cases/cases");
const { createReport } = await import("@/lib/reports/service");
const { memoryEvidenceStore } = await import("@/lib/reports/testing");

const ROOT = process.cwd();
const CUCC_NUMBER = "+8618620001234";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

type Db = Awaited<ReturnType<typeof createTestDatabase>>["db"];
interface World {
  db: Db;
  principals: Record<Visitor, Record<string, unknown> | null>;
  ownerReport: string;
  foreignReport: string;
  cmccTenure: string;
  cuccTenure: string;
  ownerA: string;
  cuccCase: string;
  newCase(input: { kind: "owner_help" | "manual" | "tenure_review"; ownerId: string | null; tenureId?: string; carrierId?: string | null }): Promise<string>;
  /** A delivery_failed case of owner A about an item that was not delivered: `{ id, itemId }`. */
  failedItemCase(): Promise<Record<string, string>>;
  /** A report of owner A under review, its case assigned to the visitor: `{ id, reportId }`. */
  assignedReportCase(v: Visitor): Promise<Record<string, string>>;
}

/**
 * Per kind of object an action can name: an id that is the visitor's own, and one that is
 * another's (null where nothing is another's: the admin's tenures). Unknown ids are always tried.
 */
const OBJECTS: Record<string, { own(w: World, v: Visitor): string | Promise<string>; foreign(w: World, v: Visitor): string | null }> = {
  report: { own: (w) => w.ownerReport, foreign: (w) => w.foreignReport },
  tenure: { own: (w) => w.cmccTenure, foreign: (w, v) => (v === "admin" ? null : w.cuccTenure) },
  // A fresh case each time (an action may move it on): the owner's own, or one of the staff
  // member's carrier; another's is owner B's / China Unicom's (an admin: none is another's).
  case: {
    own: (w, v) => (v === "owner" ? w.newCase({ kind: "owner_help", ownerId: w.ownerA }) : w.newCase({ kind: "manual", ownerId: w.ownerA })),
    foreign: (w, v) => (v === "admin" ? null : w.cuccCase),
  },
};

/**
 * The rest of a valid form for the action, around the visitor's own object (`id`): what makes the
 * call succeed when it is theirs, so a refusal of another's is about whose it is. An action may set
 * up a fresh object of its own here (then it names it in the returned fields).
 */
const FORMS: Record<string, (w: World, v: Visitor, id: string) => Record<string, string> | Promise<Record<string, string>>> = {
  answerCaseAction: () => ({ message: "还是会收到催收短信" }),
  changeCaseStatus: () => ({ to: "in_progress" }),
  addCaseNote: () => ({ text: "called the platform" }),
  replyToCaseOwner: () => ({ text: "we asked the platform again" }),
  contactCasePlatform: () => ({ method: "called", text: "rang their support line" }),
  confirmCaseTenure: async (w) => ({ id: await w.newCase({ kind: "tenure_review", ownerId: w.ownerA, tenureId: w.cmccTenure }) }),
  resendCaseItem: async (w) => w.failedItemCase(),
  revealCaseReportText: async (w, v) => w.assignedReportCase(v),
  assignCase: (w) => ({ assignee: String(w.principals.agent!.id) }),
  routeCase: async (w) => ({ caseId: await w.newCase({ kind: "manual", ownerId: null, carrierId: null }), carrier: "cmcc" }),
};

/** What an action call did, in the table's words. */
async function outcome(run: () => Promise<unknown>): Promise<{ cell: string; result?: unknown }> {
  try {
    const result = await run();
    return { cell: "returned", result };
  } catch (error) {
    if (error instanceof Admitted) return { cell: "runs" };
    const digest = String((error as { digest?: string }).digest ?? "");
    const to = /^NEXT_REDIRECT;[^;]*;([^;]*);/.exec(digest)?.[1];
    if (to !== undefined) return { cell: `→ ${to.split("?")[0]}`, result: to };
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return { cell: "not found" };
    throw error;
  }
}

/** The cell as a path: "→ home" is each role's own. */
function expectedCell(cell: string, visitor: Visitor): string {
  if (cell !== "→ home") return cell;
  return `→ ${visitor === "owner" ? "/me" : homeFor(visitor as Parameters<typeof homeFor>[0])}`;
}

/** Every table's row count: "nothing written" without knowing which tables an action touches. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const rows = async <R,>(query: SQL) => ((await db.execute(query)) as unknown as { rows: R[] }).rows;
  const tables = await rows<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const counts = sql.join(
    tables.map(({ table_name }) => sql`select ${table_name}::text as t, count(*)::int as n from ${sql.identifier(table_name)}`),
    sql` union all `,
  );
  return Object.fromEntries((await rows<{ t: string; n: number }>(counts)).map((r) => [r.t, Number(r.n)]));
}

/** The database as the actions see it, counting every use (a refused visitor's call makes none). */
function counted(db: Db): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      mode.dbReads += 1;
      return Reflect.get(target, prop, receiver);
    },
  });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

type AnyAction = ((prev: unknown, formData: FormData) => Promise<unknown>) | ((formData: FormData) => Promise<unknown>);

/** Calls a stateful action (prev, formData) or a plain form action (formData) as its form would. */
function call(fn: AnyAction, data: FormData) {
  return fn.length >= 2 ? (fn as (p: unknown, f: FormData) => Promise<unknown>)({ ok: true }, data) : (fn as (f: FormData) => Promise<unknown>)(data);
}

const table = actionTable(ROOT);
const found = serverActions(ROOT);

describe("docs/access.md, server actions", () => {
  it("has a row for every exported server action, naming its module, and none for an action that is gone", () => {
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter((a) => !table.has(a.name)).map((a) => `${a.module}: ${a.name}`), "actions with no row in docs/access.md").toEqual([]);
    const names = new Set(found.map((a) => a.name));
    expect([...table.keys()].filter((n) => !names.has(n)), "rows for no action").toEqual([]);
    for (const a of found) expect(table.get(a.name)!.module, a.name).toBe(a.module);
  });

  it("fills every cell with a word the test knows, and names a known kind of object for every 'own'", () => {
    for (const [name, row] of table) {
      for (const v of VISITORS) expect(["runs", "own", "refused", "→ home", "→ /login", "→ /staff/login"], `${name} × ${v}`).toContain(row.cells[v]);
      const owns = VISITORS.some((v) => row.cells[v] === "own" || row.cells[v] === "refused");
      expect(Boolean(row.object), `${name}: an "own" cell needs an Object, and an Object an "own" cell`).toBe(owns);
      if (row.object) expect(Object.keys(OBJECTS), `${name}: no entry in OBJECTS for ${row.object.kind}`).toContain(row.object.kind);
    }
  });
});

describe("each server action refuses or admits each visitor as the table says", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  const world = {} as World;
  const modules = new Map<string, Record<string, AnyAction>>();

  beforeAll(async () => {
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
    t = await createTestDatabase();
    await seedDatabase(t.db);
    world.db = t.db;
    const ids = Object.fromEntries((await t.db.select({ id: carriers.id, code: carriers.code }).from(carriers)).map((c) => [c.code, c.id]));
    const now = new Date();
    const [a] = await t.db.insert(owners).values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: now, lastSignInAt: now, lastVerifiedAt: now }).returning({ id: owners.id });
    const [b] = await t.db.insert(owners).values({ number: CUCC_NUMBER, termsVersion: "test", termsAcceptedAt: now, lastSignInAt: now, lastVerifiedAt: now }).returning({ id: owners.id });
    const report = async (ownerId: string, number: string) => {
      const created = await createReport(t.db, memoryEvidenceStore(), { ownerId, number, report: { channel: "sms", text: "您的借款已逾期", receivedAt: new Date(now.getTime() - 3600_000) }, evidence: [], now });
      if (!created.ok) throw new Error(created.error);
      return created.reportId;
    };
    world.ownerReport = await report(a!.id, DEMO_OWNER_NUMBER);
    world.foreignReport = await report(b!.id, CUCC_NUMBER);
    const tenureOf = async (number: string) => (await t.db.select({ id: numberTenures.id }).from(numberTenures).where(eq(numberTenures.number, number)).orderBy(sql`${numberTenures.startedAt} desc`))[0]!.id;
    world.cmccTenure = await tenureOf(DEMO_OWNER_NUMBER);
    world.cuccTenure = await tenureOf(CUCC_NUMBER);
    const staffOf = async (role: string, carrierId: string | null) => {
      const [row] = await t.db.insert(staffUsers).values({ email: `${role}@action-access.test`, displayName: role, role: role as "agent", carrierId, passwordHash: "x" }).returning({ id: staffUsers.id });
      return { id: row!.id, name: role, role, carrierId };
    };
    world.principals = {
      owner: { id: a!.id, role: "owner", number: DEMO_OWNER_NUMBER },
      agent: await staffOf("agent", ids.cmcc!),
      supervisor: await staffOf("supervisor", ids.cmcc!),
      regulator: await staffOf("regulator", null),
      admin: await staffOf("admin", null),
      anonymous: null,
    };
    world.ownerA = a!.id;
    let tick = 0;
    const later = () => new Date(now.getTime() + ++tick * 1000);
    world.newCase = async ({ kind, ownerId, tenureId, carrierId }) => {
      // openCase joins an active case of the same kind and subject; a random subject id makes a new one.
      const subject = tenureId ? { tenureId } : { ownerId: kind === "owner_help" && ownerId ? ownerId : randomUUID() };
      const carrier = carrierId === undefined ? ids.cmcc! : carrierId;
      return (await openCase(t.db, { kind, subject, ownerId, platformId: null, carrierId: carrier, number: carrier ? null : "+85261234567", at: later() })).id;
    };
    world.cuccCase = (await openCase(t.db, { kind: "owner_help", subject: { ownerId: b!.id }, ownerId: b!.id, platformId: null, carrierId: ids.cucc!, at: now })).id;
    const [platform] = await t.db.select({ id: platforms.id }).from(platforms).where(eq(platforms.status, "active")).limit(1);
    world.failedItemCase = async () => {
      const at = later();
      const [batch] = await t.db.insert(unbindBatches).values({ ownerId: a!.id, tenureId: world.cmccTenure, selection: randomUUID(), createdAt: at, verifiedAt: at, completedAt: at }).returning({ id: unbindBatches.id });
      const [item] = await t.db.insert(unbindItems).values({ batchId: batch!.id, platformId: platform!.id, status: "failed", reason: "unreachable", updatedAt: at }).returning({ id: unbindItems.id });
      await t.db.insert(outbox).values({ kind: "unbind_request", messageId: item!.id, platformId: platform!.id, status: "dead", attempts: 10, nextAttemptAt: at, createdAt: at });
      const opened = await openCase(t.db, { kind: "delivery_failed", subject: { unbindItemId: item!.id }, ownerId: a!.id, platformId: platform!.id, carrierId: ids.cmcc!, at });
      return { id: opened.id, itemId: item!.id };
    };
    world.assignedReportCase = async (v) => {
      const reportId = await report(a!.id, DEMO_OWNER_NUMBER);
      const opened = await openCase(t.db, { kind: "report_review", subject: { reportId }, ownerId: a!.id, platformId: null, carrierId: ids.cmcc!, at: later() });
      const staff = world.principals[v]!;
      if (staff.role === "agent") await assignCase(t.db, { caseId: opened.id, assigneeId: String(staff.id), actor: { id: String(staff.id), role: "agent", carrierId: ids.cmcc! } });
      return { id: opened.id, reportId };
    };
    for (const { module } of found) if (!modules.has(module)) modules.set(module, (await import(path.join(ROOT, module))) as Record<string, AnyAction>);
  });
  afterAll(async () => {
    delete process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
    await t?.dispose();
  });

  for (const { name, module } of found) {
    const row = table.get(name);
    if (!row) continue;
    for (const visitor of VISITORS) {
      const cell = row.cells[visitor];
      it(`${name} × ${visitor}: ${cell}`, async () => {
        session.user = world.principals[visitor];
        session.path = "/";
        const fn = modules.get(module)![name]!;
        const guardFields = row.object ? { [row.object.field]: UNKNOWN_ID } : {};

        // The guard: refused visitors are redirected before the database is used at all.
        mode.stopAtGuard = true;
        mode.db = counted(t.db);
        mode.dbReads = 0;
        const before = await rowCounts(t.db);
        const got = await outcome(() => call(fn, form(guardFields)));
        const onObject = cell === "own" || cell === "refused";
        expect(got.cell).toBe(onObject ? "runs" : expectedCell(cell, visitor));
        if (cell.startsWith("→")) expect(mode.dbReads, "a refused visitor's call used the database").toBe(0);
        expect(await rowCounts(t.db)).toEqual(before);
        if (!onObject) return;

        // Admitted to an action on an object: an unknown or another's is "not found", nothing written.
        const kind = OBJECTS[row.object!.kind]!;
        mode.stopAtGuard = false;
        mode.db = t.db;
        const ownId = await kind.own(world, visitor);
        const fields = { [row.object!.field]: ownId, ...(await FORMS[name]?.(world, visitor, ownId)) };
        const ready = await rowCounts(t.db);
        for (const id of [UNKNOWN_ID, kind.foreign(world, visitor)].filter((x): x is string => x !== null)) {
          const refused = await outcome(() => call(fn, form({ ...fields, [row.object!.field]: id })));
          if (refused.cell === "returned") expect(refused.result, `${name} with ${id === UNKNOWN_ID ? "an unknown" : "another's"} ${row.object!.kind}`).toMatchObject({ ok: false });
          else expect(refused.cell).toBe("not found");
          expect(await rowCounts(t.db), "nothing written").toEqual(ready);
        }
        const own = await outcome(() => call(fn, form(fields)));
        if (cell === "refused") {
          // Admitted, but this kind of visitor may not do it even to their own: refused, nothing written.
          expect(own.cell, `${name}: refused with a message`).toBe("returned");
          expect(own.result).toMatchObject({ ok: false });
          expect(await rowCounts(t.db), "nothing written").toEqual(ready);
          return;
        }
        // And the visitor's own is not refused, so the refusal above is about whose it is.
        if (own.cell === "returned") expect(own.result, `${name} with the visitor's own ${row.object!.kind}`).toMatchObject({ ok: true });
        else expect(own.cell, `${name} with the visitor's own ${row.object!.kind}`).toMatch(/^→ /);
      });
    }
  }
});
