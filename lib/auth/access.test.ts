import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * docs/access.md against the code: every page and route under app/ has a row (read from the file
 * system, so a new route without one fails here), and the guards give each kind of visitor what
 * the rows for the staff areas and the owner's pages say.
 */

// The session the guards see this test: set per case. Staff accounts are taken as still valid
// (lib/auth/staff.test.ts covers disabled and changed accounts).
const session = vi.hoisted(() => ({ user: null as null | Record<string, unknown>, path: "/" }));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));
vi.mock("@/db/startup", () => ({ prepareDatabase: async () => ({ handle: { db: {} } }) }));
vi.mock("@/lib/auth/staff", () => ({ staffSessionValid: async () => true }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-reclaim-path": session.path }) }));

const { VISITORS, accessTable: readAccessTable, appRoutes: readAppRoutes, routeMethods } = await import("./access-table");
const { areaGuard, forRoute, owner, requireArea, requireOwner } = await import("./guards");
const { STAFF_AREAS, homeFor, staffRoles, areaOf, carrierScoped } = await import("./roles");

const ROOT = process.cwd();
const COLUMNS = VISITORS;
const accessTable = () => readAccessTable(ROOT);
const appRoutes = () => readAppRoutes(ROOT);

const principals: Record<(typeof VISITORS)[number], Record<string, unknown> | null> = {
  owner: { id: "owner-1", role: "owner", number: "+8613800138000" },
  agent: { id: "staff-agent", name: "A", role: "agent", carrierId: "carrier-x" },
  supervisor: { id: "staff-supervisor", name: "S", role: "supervisor", carrierId: "carrier-x" },
  regulator: { id: "staff-regulator", name: "R", role: "regulator", carrierId: null },
  admin: { id: "staff-admin", name: "D", role: "admin", carrierId: null },
  anonymous: null,
};

/** What a page guard did, in the table's words. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "200";
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return "403 page";
    const to = /^NEXT_REDIRECT;[^;]*;([^;]*);/.exec(digest)?.[1];
    if (to === undefined) throw error;
    return `→ ${to}`;
  }
}

describe("docs/access.md", () => {
  const table = accessTable();

  it("has a row for every page and route under app/, and none for a route that is gone", () => {
    const routes = appRoutes();
    expect(routes.size).toBeGreaterThan(30);
    expect([...routes.keys()].filter((p) => !table.has(p)), "routes with no row in docs/access.md").toEqual([]);
    expect([...table.keys()].filter((p) => !routes.has(p)), "rows in docs/access.md for no route").toEqual([]);
    for (const [p, kind] of routes) expect(table.get(p)!.kind, p).toBe(kind);
  });

  it("names exactly the methods each route handler exports", () => {
    for (const [p, kind] of appRoutes()) if (kind === "route") expect(table.get(p)!.methods, p).toEqual(routeMethods(ROOT, p));
  });

  it("fills every cell of every row", () => {
    for (const [p, { cells }] of table) for (const c of COLUMNS) expect(cells[c], `${p} × ${c}`).not.toBe("");
  });

  it("lists every staff role as a column", () => {
    expect(COLUMNS.filter((c) => c !== "owner" && c !== "anonymous")).toEqual([...staffRoles]);
  });

  it("writes the staff areas as the one role → area policy says", () => {
    for (const [area, { path: root, roles }] of Object.entries(STAFF_AREAS)) {
      const row = table.get(root)!;
      for (const visitor of COLUMNS) {
        const expected = visitor === "anonymous" ? "→ /staff/login" : (roles as readonly string[]).includes(visitor) ? "200" : "403 page";
        expect({ area, visitor, cell: row.cells[visitor] }).toEqual({ area, visitor, cell: expected });
      }
    }
  });
});

describe("the guards give what the table says", () => {
  const table = accessTable();
  beforeAll(() => {
    // What `experimental.authInterrupts` in next.config.ts sets for the server; forbidden() needs it.
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  });
  afterAll(() => {
    delete process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
  });
  beforeEach(() => {
    session.user = null;
    session.path = "/";
  });

  for (const [area, { path: root }] of Object.entries(STAFF_AREAS) as [keyof typeof STAFF_AREAS, { path: string }][]) {
    for (const visitor of COLUMNS) {
      it(`${root} × ${visitor}`, async () => {
        session.user = principals[visitor];
        session.path = root;
        expect(await outcome(() => requireArea(area))).toBe(table.get(root)!.cells[visitor]);
      });
    }
  }

  it("never sends a refused owner or staff member elsewhere from a staff area: the 403 page, not a redirect", async () => {
    for (const visitor of ["owner", "regulator"] as const) {
      session.user = principals[visitor];
      expect(await outcome(() => requireArea("agent"))).toBe("403 page");
    }
  });

  for (const visitor of COLUMNS) {
    it(`owner pages (/me) × ${visitor}`, async () => {
      session.user = principals[visitor];
      session.path = "/me";
      const cell = table.get("/me")!.cells[visitor];
      const got = await outcome(() => requireOwner());
      const role = principals[visitor]?.role as Parameters<typeof homeFor>[0] | undefined;
      // "→ home" is each role's own home.
      expect(got).toBe(cell === "→ home" ? `→ ${homeFor(role!)}` : cell);
    });

    it(`owner routes (/me/data/download) × ${visitor}`, async () => {
      session.user = principals[visitor];
      const result = await forRoute(owner, new Request("http://localhost/me/data/download"), { changesState: false });
      expect(result.response ? String(result.response.status) : "200").toBe(table.get("/me/data/download")!.cells[visitor]);
    });
  }

  it("admits supervisors to the agent area with their carrier, like agents", async () => {
    session.user = principals.supervisor;
    expect(await requireArea("agent")).toMatchObject({ kind: "staff", role: "supervisor", carrierId: "carrier-x" });
    expect(homeFor("supervisor")).toBe("/agent");
    expect(carrierScoped("supervisor") && carrierScoped("agent") && !carrierScoped("regulator") && !carrierScoped("admin")).toBe(true);
    expect((await areaGuard("regulator").resolve({ kind: "staff", id: "s", name: "S", role: "supervisor", carrierId: "c" })).ok).toBe(false);
  });

  it("knows which area a path is in", () => {
    expect([areaOf("/agent"), areaOf("/agent/cases/1"), areaOf("/regulator?x=1"), areaOf("/agents"), areaOf("/me")]).toEqual(["agent", "agent", "regulator", null, null]);
  });
});
