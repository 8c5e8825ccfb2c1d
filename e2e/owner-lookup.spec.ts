import type { APIRequestContext } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { advanceServerClock, createOwner, DEMO_STORY, partnerKnobs, partnerStats, resetPartner, resumeSession, row, signIn, type TestOwner } from "./pages/owner-session";

/** Look-ups the partner server received for this spec's owner. */
async function lookupRequests(request: APIRequestContext): Promise<number> {
  const stats = await partnerStats(request, owner);
  return Object.entries(stats.requests)
    .filter(([key]) => key.endsWith("/lookup"))
    .reduce((sum, [, n]) => sum + n, 0);
}

// One owner of this spec's own (the seed's demo story on a fresh number): the second test returns
// to what the first one checked, so they run in order.
// A story test has many steps and accessibility checks, and shares the cores with the other specs
// running beside it: a minute each, not the default 30 s.
test.describe.configure({ mode: "serial", timeout: 60_000 });
let owner: TestOwner;
test.beforeAll(async ({ request }) => {
  owner = await createOwner(request, DEMO_STORY);
});

const zh = messages["zh-CN"];
const en = messages.en;

test.describe("checking which platforms still have the number", () => {
  test("consent first, then every platform's answer as it arrives; a slow platform fills in later (zh-CN)", async ({ page, request }) => {
    await signIn(page, request, owner, "zh-CN");
    await page.getByRole("link", { name: zh.me.tasks.check }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.lookup.heading })).toBeVisible();

    // The separate consent step lists the platforms and the purpose; nothing is sent before it.
    await expect(page.getByRole("heading", { name: zh.lookup.consent.title })).toBeVisible();
    await expect(page.getByText("2026年3月15日")).toBeVisible();
    await expect(page.getByText("连信（沙盒）")).toBeVisible();
    await expect(page.getByText(zh.lookup.categoryOnly.lending)).toHaveCount(2);
    await expect(page.getByText("易贷花")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await expect(page.getByText(zh.lookup.consent.required).first()).toBeVisible();
    expect(await lookupRequests(request)).toBe(0);

    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    const start = page.getByRole("button", { name: zh.lookup.check.start });
    await expect(start).toBeVisible();
    await expect(page.getByText(zh.lookup.check.never)).toBeVisible();

    // One platform answers after the 3-second deadline.
    await partnerKnobs(request, owner, "swift-ride", { latencyMs: 5_000 });
    await start.click();
    await expect(row(page, "连信（沙盒）")).toContainText(zh.lookup.status.bound_before_tenure);
    await expect(row(page, "鲜送外卖（沙盒）")).toContainText(zh.lookup.status.bound_since_tenure);
    await expect(row(page, "拼好集（沙盒）")).toContainText(zh.lookup.status.not_bound);
    // Early answers are on screen while the slow platform is still out.
    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.lookup.status.late);
    await expect(row(page, "连信（沙盒）")).toContainText(zh.lookup.next.bound_before_tenure);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.lookup.status.bound_before_tenure, { timeout: 15_000 });
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    await expect(row(page, zh.lookup.categoryOnly.lending)).toHaveCount(2);
    for (const lending of await row(page, zh.lookup.categoryOnly.lending).all()) {
      await expect(lending).toContainText(zh.lookup.status.bound_before_tenure);
    }
    // Nothing about the previous owner, and not the full number, is on the page.
    await expect(page.getByText(owner.number)).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Back on the number page, the task is done.
    await page.goto("/me");
    await expect(page.getByRole("listitem").filter({ hasText: zh.me.tasks.check })).toContainText(zh.me.taskStatus.done);
  });

  test("returning shows the last answers; a new check waits a minute; consent can be withdrawn (en, phone size)", async ({ browser, request }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, owner);
    // Two minutes on, for this browser: past the minute between two checks.
    await advanceServerClock(page, 2 * 60_000);
    await page.goto("/me/platforms");
    await expect(page.getByRole("heading", { level: 1, name: en.lookup.heading })).toBeVisible();
    // The saved answers of the last check, in English.
    await expect(row(page, "Linkup Chat (sandbox)")).toContainText(en.lookup.status.bound_before_tenure);
    await expect(row(page, "Fresh Bites (sandbox)")).toContainText(en.lookup.status.bound_since_tenure);
    await expect(page.getByTestId("lookup-progress")).toHaveText("6 platforms still have your number bound to the previous owner's accounts.");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await resetPartner(request, owner);
    await page.getByRole("button", { name: en.lookup.check.again }).click();
    await expect(page.getByTestId("lookup-progress")).toHaveText("6 platforms still have your number bound to the previous owner's accounts.");
    const before = await lookupRequests(request);
    expect(before).toBe(12);
    await page.getByRole("button", { name: en.lookup.check.again }).click();
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText(/You checked a moment ago\. You can check again in \d+ seconds\./);
    expect(await lookupRequests(request)).toBe(before);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("button", { name: en.lookup.consent.withdraw }).click();
    await expect(page.getByRole("heading", { name: en.lookup.consent.title })).toBeVisible();
    await expect(page.getByRole("button", { name: en.lookup.check.again })).toHaveCount(0);
    await context.close();
  });

  test("the look-up API refuses signed-out and cross-site requests", async ({ request }) => {
    const signedOut = await request.post("/api/lookups", { headers: { origin: new URL(test.info().project.use.baseURL!).origin } });
    expect(signedOut.status()).toBe(401);
    const foreign = await request.post("/api/lookups", { headers: { origin: "https://evil.example" } });
    expect(foreign.status()).toBe(403);
    const jwks = await request.get("/.well-known/jwks.json");
    expect(jwks.ok()).toBe(true);
    const { keys } = (await jwks.json()) as { keys: Record<string, string>[] };
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(keys[0]).not.toHaveProperty("d");
  });
});
