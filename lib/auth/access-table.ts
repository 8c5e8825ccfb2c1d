import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * docs/access.md as data, and the app as the file system says it is: the one reader both access
 * tests use (lib/auth/access.test.ts and lib/auth/action-access.test.ts at unit level, the HTTP
 * matrix in e2e/access-matrix.spec.ts against the built app), so a page, route or server action
 * without a row fails all of them the same way. Plain Node (no aliases, nothing server-only):
 * Playwright loads it too.
 */

/** The table's visitor columns, in order. */
export const VISITORS = ["owner", "agent", "supervisor", "regulator", "admin", "anonymous"] as const;
export type Visitor = (typeof VISITORS)[number];

export interface RouteRow {
  /** "page" or "route". */
  kind: "page" | "route";
  /** For a route handler, the methods the row names (`route GET, POST`); pages are GET. */
  methods: string[];
  cells: Record<Visitor, string>;
  notes: string;
}

export interface ActionRow {
  /** The module that exports it, from the repository root (`app/agent/numbers/[id]/actions.ts`). */
  module: string;
  cells: Record<Visitor, string>;
  /** The form field that names an object, and what kind of object (`id` → tenure); null when none. */
  object: { field: string; kind: string } | null;
  notes: string;
}

const docPath = (root: string) => path.join(root, "docs/access.md");

/** The rows of the markdown table under `heading` (## level), split into trimmed cells. */
function tableUnder(root: string, heading: string): string[][] {
  const lines = readFileSync(docPath(root), "utf8").split("\n");
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`docs/access.md has no "## ${heading}" section`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    const trimmed = line.trim();
    if (!trimmed.startsWith("|") || /^\|[-| :]+\|$/.test(trimmed)) continue;
    rows.push(trimmed.slice(1, -1).split("|").map((c) => c.trim()));
  }
  // The first row is the header.
  return rows.slice(1);
}

const code = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1] ?? null;

/** "Pages and routes": path → row. A path written twice is an error, not a silent override. */
export function accessTable(root: string): Map<string, RouteRow> {
  const rows = new Map<string, RouteRow>();
  for (const [pathCell, kindCell, ...rest] of tableUnder(root, "Pages and routes")) {
    const p = code(pathCell ?? "");
    if (!p?.startsWith("/")) continue;
    if (rows.has(p)) throw new Error(`docs/access.md has two rows for ${p}`);
    const [kind, ...methods] = (kindCell ?? "").split(/[\s,]+/).filter(Boolean);
    rows.set(p, {
      kind: kind as RouteRow["kind"],
      methods: kind === "page" ? ["GET"] : methods,
      cells: Object.fromEntries(VISITORS.map((v, i) => [v, rest[i] ?? ""])) as Record<Visitor, string>,
      notes: rest[VISITORS.length] ?? "",
    });
  }
  return rows;
}

/** "Server actions": action name → row. */
export function actionTable(root: string): Map<string, ActionRow> {
  const rows = new Map<string, ActionRow>();
  for (const [nameCell, moduleCell, ...rest] of tableUnder(root, "Server actions")) {
    const name = code(nameCell ?? "");
    if (!name) continue;
    if (rows.has(name)) throw new Error(`docs/access.md has two rows for the action ${name}`);
    const objectCell = rest[VISITORS.length] ?? "";
    const object = /^`(\w+)`: (\w+)/.exec(objectCell);
    rows.set(name, {
      module: code(moduleCell ?? "") ?? "",
      cells: Object.fromEntries(VISITORS.map((v, i) => [v, rest[i] ?? ""])) as Record<Visitor, string>,
      object: object ? { field: object[1]!, kind: object[2]! } : null,
      notes: rest[VISITORS.length + 1] ?? "",
    });
  }
  return rows;
}

function walk(dir: string, visit: (file: string) => void) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

/** Every page.tsx and route.ts under app/ as its URL path: route groups dropped, dynamic segments kept. */
export function appRoutes(root: string): Map<string, "page" | "route"> {
  const found = new Map<string, "page" | "route">();
  const app = path.join(root, "app");
  walk(app, (file) => {
    const name = path.basename(file);
    if (!/^(page|route)\.(tsx?|jsx?)$/.test(name)) return;
    const segments = path
      .relative(app, path.dirname(file))
      .split(path.sep)
      .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
    found.set(`/${segments.join("/")}`, name.startsWith("page") ? "page" : "route");
  });
  return found;
}

/** The HTTP methods a route handler exports (`export const GET`, `export async function POST`). */
export function routeMethods(root: string, urlPath: string): string[] {
  const app = path.join(root, "app");
  const methods = new Set<string>();
  walk(app, (file) => {
    if (!/^route\.(tsx?|jsx?)$/.test(path.basename(file))) return;
    const segments = path.relative(app, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
    if (`/${segments.join("/")}` !== urlPath) return;
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
    // `export const { GET, POST } = handlers` (Auth.js).
    for (const m of source.matchAll(/export\s+const\s+\{([^}]*)\}/g)) for (const name of m[1]!.split(",").map((s) => s.trim())) if (/^[A-Z]+$/.test(name)) methods.add(name);
  });
  return [...methods].sort();
}

/**
 * Every server action: each export of a module whose first statement is the use-server directive, under app/
 * and lib/ (a server action is a public POST endpoint wherever its module lives).
 */
export function serverActions(root: string): { name: string; module: string }[] {
  const found: { name: string; module: string }[] = [];
  for (const dir of ["app", "lib"]) {
    walk(path.join(root, dir), (file) => {
      if (!/\.(tsx?|jsx?)$/.test(file) || /\.test\.tsx?$/.test(file)) return;
      const source = readFileSync(file, "utf8");
      if (!/^\s*(["'])use server\1/.test(source)) return;
      const modulePath = path.relative(root, file).split(path.sep).join("/");
      for (const m of source.matchAll(/^export\s+(?:const|async function|function)\s+(\w+)/gm)) found.push({ name: m[1]!, module: modulePath });
    });
  }
  return found;
}
