import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The /agent/audit row of docs/access.md against the page's guard, as lib/auth/access.test.ts does for the areas.
const session = vi.hoisted(() => ({ user: null as null | Record<string, unknown> }));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));
vi.mock("@/db/startup", () => ({ prepareDatabase: async () => ({ handle: { db: {} } }) }));
vi.mock("@/lib/auth/staff", () => ({ staffSessionValid: async () => true }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-reclaim-path": "/agent/audit" }) }));

const { requireAuditViewer } = await import("./guard");

const COLUMNS = ["owner", "agent", "supervisor", "regulator", "admin", "anonymous"] as const;
const principals: Record<(typeof COLUMNS)[number], Record<string, unknown> | null> = {
  owner: { id: "owner-1", role: "owner", number: "+8613800138000" },
  agent: { id: "staff-agent", name: "A", role: "agent", carrierId: "carrier-x" },
  supervisor: { id: "staff-supervisor", name: "S", role: "supervisor", carrierId: "carrier-x" },
  regulator: { id: "staff-regulator", name: "R", role: "regulator", carrierId: null },
  admin: { id: "staff-admin", name: "D", role: "admin", carrierId: null },
  anonymous: null,
};

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

describe("/agent/audit gives what docs/access.md says", () => {
  const line = readFileSync(path.join(process.cwd(), "docs/access.md"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("| `/agent/audit` |"))!;
  const cells = line.split("|").slice(3, 9).map((c) => c.trim());
  beforeAll(() => {
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  });
  afterAll(() => {
    delete process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS;
  });

  COLUMNS.forEach((visitor, i) => {
    it(`× ${visitor}`, async () => {
      session.user = principals[visitor];
      expect(await outcome(() => requireAuditViewer())).toBe(cells[i]);
    });
  });

  it("lets an agent in nowhere here, a supervisor in with their carrier", async () => {
    expect(cells).toEqual(["403 page", "403 page", "200", "403 page", "200", "→ /staff/login"]);
    session.user = principals.supervisor;
    expect(await requireAuditViewer()).toMatchObject({ role: "supervisor", carrierId: "carrier-x" });
  });
});
