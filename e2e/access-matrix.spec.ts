import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { accessTable, appRoutes, type RouteRow, type Visitor } from "../lib/auth/access-table";
import { OBJECT_URLS, UNKNOWN_OBJECTS, type SideObjects } from "./access-objects";
import { expect, messages, test } from "./fixtures";
import { createOwner, DEMO_STORY, signIn, type TestOwner } from "./pages/owner-session";
import { StaffLoginPage, totpNow } from "./pages/staff-login-page";

/**
 * The access matrix against the built app: every page and route handler under app/ (read from the
 * file system, as lib/auth/access.test.ts does) × owner A, owner B, agent X, agent Y, supervisor
 * X, the regulator, an admin and an anonymous visitor × their own ids, the other side's and
 * unknown ones (e2e/access-objects.ts), each answered exactly as docs/access.md's cell says, and
 * a refused or "not found" answer never carries the other side's data. Server actions are the
 * unit test's (lib/auth/action-access.test.ts). How the cells are read: docs/access.md, "The
 * access matrix".
 */

const zh = messages["zh-CN"];
const ROOT = process.cwd();
const baseURL = () => test.info().project.use.baseURL!;

interface Subject {
  /** The docs column this visitor is checked against. */
  column: Visitor;
  /** Whose objects are this visitor's own (see e2e/access-objects.ts); none for the unscoped. */
  side: "A" | "B" | null;
  request: APIRequestContext;
  /** The role's home, for "→ home". */
  home: string;
}

/** One answer, in the docs' words as far as they can be read from HTTP. */
interface Answer {
  status: number;
  redirect: string | null;
  body: string;
}

async function fetchAnswer(request: APIRequestContext, method: string, url: string): Promise<Answer> {
  const response = await request.fetch(url, {
    method,
    maxRedirects: 0,
    // Same-origin, like our own pages; an empty JSON body for the methods that carry one.
    headers: method === "GET" ? {} : { origin: new URL(baseURL()).origin, "content-type": "application/json" },
    data: method === "GET" ? undefined : "{}",
    failOnStatusCode: false,
  });
  const body = await response.text();
  const location = response.headers()["location"];
  // A redirect decided after the page started streaming arrives as a 200 with a meta refresh.
  const streamed = /<meta id="__next-page-redirect"[^>]*content="\d+;url=([^"]+)"/.exec(body)?.[1];
  const to = location ?? (streamed ? streamed.replace(/&amp;/g, "&") : null);
  return { status: response.status(), redirect: to ? new URL(to, baseURL()).pathname : null, body };
}

/** Checks one answer against its cell; `idKind` says which id the URL carried. */
function judge(answer: Answer, cell: string, row: RouteRow, method: string, idKind: "own" | "foreign" | "unknown" | "none", subject: Subject, where: string) {
  const label = `${where} (${subject.column}, ${idKind} id): ${cell}; got ${answer.status}${answer.redirect ? ` → ${answer.redirect}` : ""}`;
  expect(answer.status, `${label}: never a server error`).toBeLessThan(500);
  if (cell === "n/a") {
    // The note's own rule: "(401 without)" is what a request without the credential gets.
    const without = /\((\d{3}) without\)/.exec(row.notes)?.[1];
    if (without) expect(answer.status, label).toBe(Number(without));
    return;
  }
  const arrow = /^→ (.+)$/.exec(cell)?.[1];
  if (arrow) {
    expect({ status: answer.status >= 300 && answer.status < 400 ? "redirect" : answer.status, to: answer.redirect }, label).toEqual({
      status: answer.status === 200 ? 200 : "redirect",
      to: arrow === "home" ? subject.home : arrow,
    });
    return;
  }
  if (cell === "403 page") {
    expect(answer.status, label).toBe(403);
    expect(answer.body, `${label}: the not-for-you page`).toContain(zh.notForYou.title);
    return;
  }
  if (cell === "200" || cell === "200 own" || cell === "200 assigned") {
    // "200 own": the visitor's own object; another's or an unknown one is 404. "200 assigned": no
    // case is assigned in this run, so every id is someone else's (the 200 side: lib/reports tests).
    const notFound = idKind === "unknown" || (cell === "200 own" && idKind === "foreign") || cell === "200 assigned";
    if (notFound && /not-found page \(HTTP 200/.test(row.notes)) {
      // What the note says: the not-found page, streamed behind a loading boundary with a 200.
      expect(answer.status, label).toBe(200);
      expect(answer.body, `${label}: the not-found page`).toContain(zh.errors.notFoundTitle);
    } else if (notFound) {
      expect(answer.status, label).toBe(404);
    } else if (method === "GET") {
      expect({ status: answer.status, redirect: answer.redirect }, label).toEqual({ status: 200, redirect: null });
    } else {
      // A state-changing method with an empty body: the guard admits (no 401 / 403), the input is judged after.
      expect([401, 403], label).not.toContain(answer.status);
      expect(answer.status, label).toBeLessThan(500);
    }
    return;
  }
  if (/^40[134]$/.test(cell)) {
    expect(answer.status, label).toBe(Number(cell));
    return;
  }
  throw new Error(`docs/access.md: a cell the matrix cannot read: "${cell}" (${where} × ${subject.column})`);
}

/** Signs a new staff account in for the first time: its own password, an authenticator, the recovery codes. */
async function enrolNewStaff(page: Page, role: string, carrier: string | undefined, home: RegExp) {
  const email = `matrix-${role}-${randomUUID().slice(0, 8)}@carrier.example`;
  const created = await page.request.post("/api/dev/staff", { data: { email, role, carrier, name: `矩阵 / Matrix ${role}` }, headers: { origin: new URL(baseURL()).origin } });
  expect(created.status(), "POST /api/dev/staff").toBe(201);
  const { password } = (await created.json()) as { password: string };
  const login = new StaffLoginPage(page, "zh-CN");
  await login.goto();
  await login.signIn(email, password);
  await expect(page).toHaveURL(/\/staff\/password$/);
  await page.getByLabel(zh.staffLogin.changePassword.password, { exact: true }).fill("matrix password, long enough");
  await page.getByLabel(zh.staffLogin.changePassword.confirm).fill("matrix password, long enough");
  await page.getByRole("button", { name: zh.staffLogin.changePassword.submit }).click();
  await expect(page).toHaveURL(/\/staff\/enrol$/);
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  await page.getByLabel(zh.staffEnrol.code).fill(totpNow(secret));
  await page.getByRole("button", { name: zh.staffEnrol.submit }).click();
  await expect(page.getByRole("list", { name: zh.staffEnrol.recoveryList }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: zh.staffEnrol.saved }).click();
  await expect(page).toHaveURL(home);
}

/** A browser of its own per visitor, from an address of its own (the per-address limits). */
async function visitorPage(browser: Browser, n: number): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), locale: "zh-CN", extraHTTPHeaders: { "x-forwarded-for": `10.231.${n}.${Math.floor(Math.random() * 250) + 1}` } });
  return context.newPage();
}

/** Owner history through the pages: consent and a look-up, an unbind batch, a report with a screenshot; the ids from their data export. */
async function ownerWithHistory(page: Page, request: APIRequestContext, owner: TestOwner, marker: string): Promise<SideObjects> {
  await signIn(page, request, owner, "zh-CN");
  await page.goto("/me/platforms");
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
  await expect(page.getByRole("checkbox", { name: zh.unbind.select })).toHaveCount(6);
  await page.getByRole("button", { name: /^请 \d+ 个平台解绑$/ }).click();
  await page.getByRole("button", { name: zh.unbind.confirm }).click();
  await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);

  await page.goto("/reports/new");
  await page.getByLabel(zh.reports.textLabel, { exact: true }).fill(`【易贷花】${marker}您好，您的借款已逾期，请尽快还款。`);
  await page.getByText(zh.reports.moreDetails).click();
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
  await page.getByLabel(zh.reports.evidenceLabel).setInputFiles({ name: "截图.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: zh.reports.submit }).click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);

  // A request for help: the owner's own case, which their carrier's staff work.
  await page.goto("/me");
  const contact = page.getByRole("region", { name: zh.ownerCases.contactTitle });
  await contact.getByRole("textbox", { name: zh.ownerCases.messageLabel }).fill("还是一直收到催收短信");
  await contact.getByRole("button", { name: zh.ownerCases.send }).click();
  const caseLink = page.getByTestId("owner-cases").getByRole("link", { name: zh.ownerCases.kind.owner_help });
  await expect(caseLink).toHaveCount(1);
  const caseId = /\/me\/cases\/([0-9a-f-]{36})$/.exec((await caseLink.getAttribute("href")) ?? "")?.[1];

  const exported = (await (await page.request.get("/me/data/download")).json()) as {
    lookups: { id: string }[];
    unbindRequests: { id: string }[];
    reports: { id: string; files: { id: string }[] }[];
  };
  const report = exported.reports[0]!;
  return { lookup: exported.lookups[0]!.id, batch: exported.unbindRequests[0]!.id, report: report.id, evidence: report.files[0]!.id, case: caseId };
}

/** The tenure id behind a number, as a staff member of its carrier finds it (search → the number's page). */
async function tenureOf(request: APIRequestContext, owner: TestOwner): Promise<string> {
  const answer = await request.get(`/agent/numbers?q=${encodeURIComponent(owner.number)}`, { maxRedirects: 0 });
  const to = answer.headers()["location"] ?? /url=(\/agent\/numbers\/[0-9a-f-]{36})/.exec(await answer.text())?.[1];
  const id = /\/agent\/numbers\/([0-9a-f-]{36})/.exec(to ?? "")?.[1];
  expect(id, `the number search finds ${owner.masked}`).toBeDefined();
  return id!;
}

test.describe("the access matrix", () => {
  test.describe.configure({ timeout: 240_000 });

  test("every page and route × every visitor × own, foreign and unknown ids gives what docs/access.md says, and never another's data", async ({ browser, request }) => {
    const table = accessTable(ROOT);
    const routes = appRoutes(ROOT);
    expect([...routes.keys()].filter((p) => !table.has(p)), "routes with no row in docs/access.md").toEqual([]);
    for (const p of routes.keys()) if (p.includes("[")) expect(OBJECT_URLS[p], `e2e/access-objects.ts has no entry for ${p}`).toBeDefined();

    // Owner A: China Mobile (carrier X); owner B: China Unicom (carrier Y); both with the demo story's history.
    const ownerA = await createOwner(request, DEMO_STORY);
    const ownerB = await createOwner(request, { ...DEMO_STORY, carrier: "cucc" });
    const markers = { A: "甲某某", B: "乙某某" } as const;
    const seeded = (role: string) => staffSeed.find((s) => s.role === role)!;
    const pages = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((n) => visitorPage(browser, n)));
    const [pA, pB, pX, pY, pS, pR, pD, pAnon] = pages as [Page, Page, Page, Page, Page, Page, Page, Page];

    const staffSignIn = async (page: Page, role: string, home: RegExp) => {
      const login = new StaffLoginPage(page, "zh-CN");
      await login.goto();
      await login.signInWithTotp(seeded(role).email, seeded(role).password, DEV_TOTP_SECRET, home);
    };
    const [objectsA, objectsB] = await Promise.all([
      ownerWithHistory(pA, request, ownerA, markers.A),
      ownerWithHistory(pB, request, ownerB, markers.B),
      staffSignIn(pX, "agent", /\/agent$/),
      enrolNewStaff(pY, "agent", "CUCC", /\/agent$/),
      staffSignIn(pS, "supervisor", /\/agent$/),
      staffSignIn(pR, "regulator", /\/regulator$/),
      enrolNewStaff(pD, "admin", undefined, /\/agent$/),
    ]);
    objectsA.tenure = await tenureOf(pX.request, ownerA);
    objectsB.tenure = await tenureOf(pY.request, ownerB);
    const sides = { A: objectsA, B: objectsB };
    // (Not the ids: a 404 page may carry the path it was asked for.)
    const secrets = { A: [ownerA.masked, markers.A], B: [ownerB.masked, markers.B] };

    const subjects: Subject[] = [
      { column: "owner", side: "A", request: pA.request, home: "/me" },
      { column: "owner", side: "B", request: pB.request, home: "/me" },
      { column: "agent", side: "A", request: pX.request, home: "/agent" },
      { column: "agent", side: "B", request: pY.request, home: "/agent" },
      { column: "supervisor", side: "A", request: pS.request, home: "/agent" },
      { column: "regulator", side: null, request: pR.request, home: "/regulator" },
      { column: "admin", side: null, request: pD.request, home: "/agent" },
      { column: "anonymous", side: null, request: pAnon.request, home: "/" },
    ];

    // Every (visitor, path, method, id) as one check, run a few at a time.
    const checks: (() => Promise<void>)[] = [];
    for (const [p, row] of table) {
      if (!routes.has(p)) continue;
      const objects = OBJECT_URLS[p];
      for (const method of row.methods) {
        for (const subject of subjects) {
          const cell = row.cells[subject.column];
          // Whose object each URL names (null: none); the unscoped (regulator, admin, anonymous)
          // have no side: both sides' objects are alike to them (an admin's own, refused to the rest).
          const urls: { url: string; idKind: "own" | "foreign" | "unknown" | "none"; side: "A" | "B" | null }[] = [];
          if (objects === undefined) urls.push({ url: p, idKind: "none", side: null });
          else if (typeof objects === "string") urls.push({ url: objects, idKind: "none", side: null });
          else {
            for (const side of ["A", "B"] as const) {
              const url = objects(sides[side]);
              if (url) urls.push({ url, idKind: subject.side === null || subject.side === side ? "own" : "foreign", side });
            }
            urls.push({ url: objects(UNKNOWN_OBJECTS)!, idKind: "unknown", side: null });
          }
          for (const { url, idKind, side } of urls) {
            checks.push(async () => {
              const answer = await fetchAnswer(subject.request, method, url);
              judge(answer, cell, row, method, idKind, subject, `${method} ${url} [${p}]`);
              // Never another's data: a refused or "not found" answer names nothing of the object's side.
              if (side && side !== subject.side && answer.status >= 300) {
                for (const secret of secrets[side]) expect(answer.body, `${method} ${url} (${subject.column}): carries side ${side}'s data`).not.toContain(secret);
              }
            });
          }
        }
      }
    }
    expect(checks.length).toBeGreaterThan(300);
    const queue = [...checks];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await next().catch((e: Error) => failures.push(e.message.split("\n").slice(0, 6).join("\n")));
      }),
    );
    expect(failures, `${failures.length} of ${checks.length} answers differ from docs/access.md`).toEqual([]);
    await Promise.all(pages.map((p) => p.context().close()));
  });
});
