import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { advanceServerClock, createOwner, DEMO_STORY, partnerUrl, resumeSession, signIn, type TestOwner } from "./pages/owner-session";
import { latestCode } from "./pages/owner-sign-in";
import { DEVICE_COOKIE } from "../lib/otp/device-id";

// The owner's rights (PIPL arts. 44–47): see and download their data, delete it. One owner of the
// spec's own checks the platforms and files a report, looks at and downloads their data (zh-CN,
// desktop), then deletes it in English on a phone; a second owner's data never shows in the first
// one's. A story test has many steps and axe checks: a minute and a half each.
test.describe.configure({ mode: "serial", timeout: 90_000 });

const zh = messages["zh-CN"];
const en = messages.en;
const DEBT_SMS = "【易贷花】刘某某 您的借款已逾期，请尽快联系我们处理欠款。";
let owner: TestOwner;
let other: TestOwner;
/** How many platforms the owner's look-up asked: each received the number. */
let asked = 0;

async function lookupAndReport(page: Page, text: string) {
  await page.goto("/me/platforms");
  await page.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
  await expect(page.getByTestId("lookup-progress")).toContainText("6");
  await page.goto("/reports/new");
  await page.getByLabel(zh.reports.textLabel, { exact: true }).fill(text);
  await page.getByRole("button", { name: zh.reports.submit }).click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
}

async function partnerEvents(request: APIRequestContext, number: string) {
  const response = await request.get(`${partnerUrl}/_control/stats?number=${encodeURIComponent(number)}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { events: Record<string, { slug: string; type: string; deliveries: number }> }).events;
}

test.describe("my data and deleting it", () => {
  test.beforeAll(async ({ request }) => {
    owner = await createOwner(request, DEMO_STORY);
    other = await createOwner(request, DEMO_STORY);
  });

  test("the owner sees everything stored about them and downloads it as JSON, theirs only (zh-CN)", async ({ page, request, browser }) => {
    await signIn(page, request, owner, "zh-CN");
    await lookupAndReport(page, DEBT_SMS);

    // From the number page, one link at the bottom.
    await page.goto("/me");
    await page.locator("#main").getByRole("link", { name: zh.data.title, exact: true }).click();
    await expect(page).toHaveURL(/\/me\/data$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.data.title })).toBeVisible();
    for (const heading of [zh.data.accountTitle, zh.data.consentsTitle, zh.data.lookupsTitle, zh.data.reportsTitle, zh.data.casesTitle, zh.data.deleteTitle]) {
      await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
    }
    await expect(page.getByText(owner.typed)).toBeVisible();
    await expect(page.getByText(DEBT_SMS)).toBeVisible();
    await expect(page.getByText("连信（沙盒）").first()).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The download: an attachment, never cached, with everything the page shows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: zh.data.download }).click()]);
    expect(download.suggestedFilename()).toMatch(/^reclaim-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(data.format).toBe("reclaim-owner-data/1");
    expect(data.owner.number).toBe(owner.number);
    expect(data.tenure).toMatchObject({ source: "carrier_record", carrier: "cmcc" });
    expect(data.consents).toHaveLength(1);
    expect(data.lookups).toHaveLength(1);
    asked = data.lookups[0].results.length;
    expect(asked).toBeGreaterThan(5);
    expect(data.lookups[0].results.filter((r: { status: string }) => r.status === "bound_before_tenure")).toHaveLength(6);
    expect(data.reports).toHaveLength(1);
    expect(data.reports[0]).toMatchObject({ text: DEBT_SMS, channel: "sms", category: "debt_collection" });
    const response = await page.request.get("/me/data/download");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="reclaim-my-data-/);
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(response.headers()["content-type"]).toContain("application/json");
    // Signed out, there is nothing to download.
    expect((await request.get("/me/data/download")).status()).toBe(401);

    // Another owner's download holds their own number and none of this owner's data.
    const context = await browser.newContext({ locale: "zh-CN" });
    const otherPage = await context.newPage();
    await signIn(otherPage, request, other, "zh-CN");
    const theirs = await (await otherPage.request.get("/me/data/download")).text();
    expect(theirs).toContain(other.number);
    expect(theirs).not.toContain(owner.number);
    expect(theirs).not.toContain(DEBT_SMS);
    await context.close();
  });

  test("on a phone in English: delete my data after a code, see what went and what stays, signed out everywhere, each platform told once", async ({ browser, request }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await resumeSession(context, owner);
    // The phone is another device than the desktop that signed in (its own one-a-minute code
    // allowance). No time travel here: the notices must go out on the dispatcher's real clock.
    await context.clearCookies({ name: DEVICE_COOKIE });
    await page.goto("/me/data");
    await expect(page.getByRole("heading", { level: 1, name: en.data.title })).toBeVisible();
    await expect(page.getByText(DEBT_SMS)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("link", { name: en.data.deleteLink }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.erasure.title })).toBeVisible();
    await expect(page.getByRole("heading", { name: en.erasure.removedTitle })).toBeVisible();
    await expect(page.getByRole("heading", { name: en.erasure.keptTitle })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The code step: a wrong code is refused with an error summary, and nothing is deleted.
    // Codes to one number are 10 s apart: the sign-in's may be that recent (the page says so; ask again).
    await expect(async () => {
      await page.getByRole("button", { name: /^(Text me a code|Send a new code)$/ }).click();
      await expect(page.getByText(en.erasure.codeSent)).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    const { code } = await latestCode(request, owner.number);
    await page.getByLabel(en.erasure.code, { exact: true }).fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: en.erasure.submit }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: en.erasure.errorTitle }) });
    await expect(summary).toContainText("That code is not right. You have 4 tries left.");
    // What was typed stays in the field.
    await expect(page.getByLabel(en.erasure.code, { exact: true })).toHaveValue(code === "000000" ? "111111" : "000000");
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect((await page.request.get("/me/data/download")).status()).toBe(200);

    await page.getByLabel(en.erasure.code, { exact: true }).fill(code);
    await page.getByRole("button", { name: en.erasure.submit }).click();
    await expect(page).toHaveURL(/\/erased\/[0-9a-f-]{36}$/);
    const receipt = page.url();
    await expect(page.getByRole("heading", { level: 1, name: en.erasure.doneTitle })).toBeVisible();
    await expect(page.getByText("1 report", { exact: true })).toBeVisible();
    await expect(page.getByText(`${asked} platforms that received your number are being told`, { exact: false })).toBeVisible();
    await expect(page.getByText(en.erasure.kept.audit)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Signed out here, and on the desktop session of the first test too.
    await page.goto("/me");
    await expect(page).toHaveURL(/\/login/);
    const desktop = await browser.newContext({ locale: "zh-CN" });
    await resumeSession(desktop, owner);
    const desktopPage = await desktop.newPage();
    await desktopPage.goto("/me/data");
    await expect(desktopPage).toHaveURL(/\/login/);
    await desktop.close();

    // Every platform the look-up asked gets one signed owner.erased, once.
    await expect.poll(async () => Object.keys(await partnerEvents(request, owner.number)).length, { timeout: 15_000 }).toBe(asked);
    const events = Object.values(await partnerEvents(request, owner.number));
    expect(new Set(events.map((e) => e.slug)).size).toBe(asked);
    expect(events.every((e) => e.type === "owner.erased" && e.deliveries === 1)).toBe(true);

    // The receipt still works signed out (the reload is a fresh, cookie-less visit).
    await context.clearCookies();
    await page.goto(receipt);
    await expect(page.getByRole("heading", { level: 1, name: en.erasure.doneTitle })).toBeVisible();
    await context.close();
  });

  test("a later sign-in with the number starts afresh; the other owner's data is untouched (zh-CN)", async ({ page, request }) => {
    // Codes to one number are at least 10 s apart, whoever asks.
    await advanceServerClock(page, 11_000);
    await signIn(page, request, owner, "zh-CN");
    const data = await (await page.request.get("/me/data/download")).json();
    expect(data).toMatchObject({ consents: [], lookups: [], unbindRequests: [], reports: [], cases: [] });
    expect(Object.values(await partnerEvents(request, other.number))).toEqual([]);
  });
});

test.describe("the privacy notice", () => {
  for (const [locale, m] of [
    ["zh-CN", zh],
    ["en", en],
  ] as const) {
    test(`names the controller and a contact, and every right has a working path (${locale})`, async ({ browser }) => {
      for (const viewport of [
        { width: 1280, height: 800 },
        { width: 390, height: 844 },
      ]) {
        const context = await browser.newContext({ locale, viewport });
        const page = await context.newPage();
        await page.goto("/privacy");
        await expect(page.getByRole("heading", { level: 1, name: m.privacy.title })).toBeVisible();
        await expect(page.getByRole("heading", { name: m.privacy.controllerTitle })).toBeVisible();
        await expect(page.getByRole("link", { name: /^privacy@/ })).toHaveAttribute("href", /^mailto:privacy@/);
        const rights = page.getByRole("heading", { name: m.privacy.rightsTitle }).locator("..").getByRole("listitem");
        await expect(rights).toHaveCount(7);
        const expected: Record<string, RegExp> = {
          access: /^\/me\/data$/,
          copy: /^\/me\/data#download-title$/,
          correction: /^\/me$/,
          deletion: /^\/me\/data\/delete$/,
          consent: /^\/me\/platforms$/,
          explanation: /^mailto:/,
          complaint: /^mailto:/,
        };
        for (const [right, href] of Object.entries(expected)) {
          const item = rights.filter({ hasText: m.privacy.rights[right as keyof typeof m.privacy.rights].title });
          await expect(item.getByRole("link")).toHaveAttribute("href", href);
        }
        expect(await seriousA11yViolations(page)).toEqual([]);
        // Signed out, the owner's paths ask for the number first rather than failing.
        await rights.filter({ hasText: m.privacy.rights.deletion.title }).getByRole("link").click();
        await expect(page).toHaveURL(/\/login/);
        await context.close();
      }
    });
  }
});
