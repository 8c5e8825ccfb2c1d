import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type BrowserContext, type Cookie, type Page } from "@playwright/test";
import { DEMO_OWNER_NUMBER, sandboxBindings, tenureSeed, type CarrierCode } from "../../db/seed-data";
import { CLOCK_SCOPE_COOKIE } from "../../lib/clock-scope";
import type { Locale } from "../fixtures";
import { latestCode, OwnerSignIn } from "./owner-sign-in";

/**
 * Owners of a spec's own. Specs run in any order and side by side against one app and one
 * partner server, so none shares the seeded demo number: each makes up a number (a range no seed
 * or other test uses), has the app write its carrier record (`POST /api/dev/owners`, a test-only
 * route) and gives the partner server that number's account records, knobs and counts.
 */

export const partnerUrl = `http://127.0.0.1:${process.env.E2E_PARTNER_PORT}`;

/** The first three digits per carrier (the carrier a number's prefix names, too). */
const PREFIX: Record<CarrierCode, string> = { cmcc: "138", cucc: "186", ctcc: "153" };
let issued = 0;

/**
 * A number no one else in this run uses: `1xx 9www nnnn`, www the worker, nnnn a counter. The
 * fourth digit 9 keeps clear of the seeded numbers (138 0013 8000, 186 2000 1234, …).
 */
function freshNumber(carrier: CarrierCode): { number: string; typed: string } {
  issued += 1;
  const national = `${PREFIX[carrier]}9${String(test.info().workerIndex % 1000).padStart(3, "0")}${String(issued).padStart(4, "0")}`;
  return { number: `+86${national}`, typed: `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}` };
}

export interface CarrierTenure {
  startedAt: string;
  endedAt?: string;
  simChangedAt?: string;
}

export interface TestOwner {
  /** E.164. */
  number: string;
  /** As a person types it: `138 9000 0001`. */
  typed: string;
  /** As the app shows it: `138****0001`. */
  masked: string;
  /** The platforms' accounts on the number (slug → created), restored by `resetPartner`. */
  accounts: Record<string, string>;
  /** The signed-in browser's cookies, once `signIn` has run: later tests of the spec resume the session. */
  cookies?: Cookie[];
}

/** The demo story of the seed (`db/seed-data.ts`), on a number of the spec's own. */
export const DEMO_STORY = {
  carrier: "cmcc" as const,
  tenures: tenureSeed.filter((t) => t.number === DEMO_OWNER_NUMBER).map(({ startedAt, endedAt }) => ({ startedAt, endedAt })),
  accounts: sandboxBindings[DEMO_OWNER_NUMBER]!,
};

/**
 * A new owner: a fresh number of `carrier`, its carrier record (`tenures`; none: a number not on
 * record) and the platforms' `accounts` on it.
 */
export async function createOwner(
  request: APIRequestContext,
  { carrier, tenures = [], accounts = {} }: { carrier: CarrierCode; tenures?: CarrierTenure[]; accounts?: Record<string, string> },
): Promise<TestOwner> {
  const { number, typed } = freshNumber(carrier);
  if (tenures.length > 0) {
    const origin = new URL(test.info().project.use.baseURL!).origin;
    const created = await request.post("/api/dev/owners", { data: { number, carrier, tenures }, headers: { origin } });
    expect(created.status(), "POST /api/dev/owners").toBe(201);
  }
  const owner: TestOwner = { number, typed, masked: `${number.slice(3, 6)}****${number.slice(-4)}`, accounts };
  await resetPartner(request, owner);
  return owner;
}

async function control(request: APIRequestContext, action: string, data: unknown) {
  const response = await request.post(`${partnerUrl}/_control/${action}`, { data });
  expect(response.ok(), `partner /_control/${action}`).toBe(true);
}

/** This owner's number back to its own accounts, with no knobs and zero counts on the partner server. */
export async function resetPartner(request: APIRequestContext, owner: TestOwner) {
  await control(request, "reset", { number: owner.number });
  await control(request, "bindings", { number: owner.number, accounts: owner.accounts });
}

/** Turns a platform's knobs for this owner's number only. */
export async function partnerKnobs(request: APIRequestContext, owner: TestOwner, slug: string, knobs: unknown) {
  await control(request, "knobs", { slug, number: owner.number, knobs });
}

/** What the partner server received about this owner's number. */
export async function partnerStats(request: APIRequestContext, owner: TestOwner) {
  const response = await request.get(`${partnerUrl}/_control/stats?number=${encodeURIComponent(owner.number)}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as { requests: Record<string, number>; unbinds: Record<string, number>; reports: Record<string, { text: string; category: string }> };
}

/** Signs the owner in through the pages, and keeps the session for the spec's later tests. */
export async function signIn(page: Page, request: APIRequestContext, owner: TestOwner, locale: Locale) {
  const signInPage = new OwnerSignIn(page, locale);
  await signInPage.enterNumber(owner.typed);
  await expect(page).toHaveURL(/\/login\/verify$/);
  const { code } = await latestCode(request, owner.number);
  await signInPage.enterCode(code);
  await expect(page).toHaveURL(/\/me$/);
  owner.cookies = await page.context().cookies();
}

/** Resumes the session of an earlier `signIn` in this browser (a returning owner, without a new code). */
export async function resumeSession(context: BrowserContext, owner: TestOwner) {
  expect(owner.cookies, "signIn first").toBeDefined();
  await context.addCookies(owner.cookies!.filter((c) => c.name !== CLOCK_SCOPE_COOKIE));
}

const scopes = new WeakMap<BrowserContext, string>();

/**
 * Moves the server's clock forward for this browser only (lib/clock-scope.ts): its pages, actions
 * and sign-ins see the later time, other specs' do not. The outbox dispatcher keeps real time, so
 * travel after the deliveries a test waits for, not before.
 */
export async function advanceServerClock(page: Page, ms: number) {
  const context = page.context();
  if (!scopes.has(context)) {
    const scope = `e2e-${randomUUID()}`;
    await context.addCookies([{ name: CLOCK_SCOPE_COOKIE, value: scope, url: test.info().project.use.baseURL! }]);
    scopes.set(context, scope);
  }
  const response = await page.request.post("/api/dev/clock", { data: { advanceMs: ms } });
  expect(response.ok()).toBe(true);
  expect(((await response.json()) as { scope: string }).scope).toBe("browser");
}

/** A row (list item) of a platform list, found by the platform's name or category label. */
export function row(page: Page, name: string) {
  return page.getByRole("listitem").filter({ hasText: name });
}
