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
  test("consent first, then 'agree and check' in one click: every platform's answer as it arrives; a slow platform fills in later (zh-CN)", async ({ page, request }) => {
    // One platform answers after the 3-second deadline.
    await partnerKnobs(request, owner, "swift-ride", { latencyMs: 5_000 });
    await signIn(page, request, owner, "zh-CN");
    await page.getByRole("link", { name: zh.me.tasks.check }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.lookup.heading })).toBeVisible();

    // The separate consent step lists the platforms and the purpose; nothing is sent before it.
    await expect(page.getByRole("heading", { name: zh.lookup.consent.title })).toBeVisible();
    await expect(page.getByText("2026年3月15日")).toBeVisible();
    await expect(page.getByText("连信（沙盒）")).toBeVisible();
    // Two category-only lending platforms, told apart by a letter, never by name.
    await expect(page.getByText("借贷平台 A", { exact: true })).toHaveCount(1);
    await expect(page.getByText("借贷平台 B", { exact: true })).toHaveCount(1);
    await expect(page.getByText("易贷花")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await expect(page.getByText(zh.lookup.consent.required).first()).toBeVisible();
    expect(await lookupRequests(request)).toBe(0);

    // Agreeing is the check: no second button to press.
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "同意并查询" }).click();
    await expect(page.getByRole("button", { name: zh.lookup.check.start })).toHaveCount(0);
    await expect(row(page, "连信（沙盒）")).toContainText(zh.lookup.status.bound_before_tenure);
    await expect(row(page, "鲜送外卖（沙盒）")).toContainText(zh.lookup.status.bound_since_tenure);
    await expect(row(page, "拼好集（沙盒）")).toContainText(zh.lookup.status.not_bound);
    // Early answers are on screen while the slow platform is still out.
    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.lookup.status.late);
    await expect(row(page, "连信（沙盒）")).toContainText(zh.lookup.next.bound_before_tenure);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.lookup.status.bound_before_tenure, { timeout: 15_000 });
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    await expect(row(page, "借贷平台")).toHaveCount(2);
    for (const lending of await row(page, "借贷平台").all()) {
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

    // Before withdrawing: which platforms already have the number, and that withdrawing does not recall it.
    const sent = page.getByRole("region", { name: en.lookup.sent.title });
    await expect(sent).toContainText(en.lookup.sent.note);
    await sent.getByText("Show the 12 platforms and since when").click();
    await expect(sent.getByRole("listitem")).toHaveCount(12);
    await expect(sent.getByRole("listitem").filter({ hasText: "Linkup Chat (sandbox)" })).toContainText(/since [A-Z][a-z]+ \d{1,2}, \d{4}/);
    await page.getByRole("button", { name: en.lookup.consent.withdraw }).click();
    await expect(page.getByRole("heading", { name: en.lookup.consent.title })).toBeVisible();
    await expect(page.getByRole("button", { name: en.lookup.check.again })).toHaveCount(0);
    // After: still listed, with the words for after.
    await expect(sent).toContainText(en.lookup.sent.after);
    await expect(sent.getByRole("listitem")).toHaveCount(12);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  test("after a batch the look-up shows each request's state and counts only what still needs the owner (zh-CN, then en at phone size)", async ({ page, request, browser }) => {
    const sender = await createOwner(request, DEMO_STORY);
    // Answers that stay put while the test reads them: one declines, one is slow to answer.
    await partnerKnobs(request, sender, "swift-ride", { unbind: { outcome: "rejected", reason: "account_in_use" } });
    await partnerKnobs(request, sender, "daily-mall", { unbind: { outcome: "unbound", delayMs: 600_000 } });
    await signIn(page, request, sender, "zh-CN");
    await page.goto("/me/platforms");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    await expect(page.getByRole("heading", { name: zh.lookup.actionTitle })).toBeVisible();
    await expect(page.getByRole("heading", { name: zh.lookup.otherTitle })).toBeVisible();

    // The button counts the ticked boxes as they change.
    const send = page.getByTestId("unbind-start");
    await expect(send).toHaveText("请 6 个平台解绑");
    const cityBox = row(page, "城市通政务（沙盒）").getByRole("checkbox", { name: zh.unbind.select });
    await cityBox.uncheck();
    await expect(send).toHaveText("请 5 个平台解绑");
    await cityBox.check();
    await expect(send).toHaveText("请 6 个平台解绑");
    await cityBox.uncheck();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await send.click();
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.checkTitle })).toBeVisible();
    await expect(page.getByTestId("selected-platforms").getByRole("listitem")).toHaveCount(5);
    await page.getByRole("button", { name: zh.unbind.confirm }).click();
    await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);
    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.unbind.status.rejected, { timeout: 20_000 });
    await expect(row(page, "连信（沙盒）")).toContainText(zh.unbind.status.unbound, { timeout: 20_000 });

    // Back on the look-up: the five asked are no longer counted; the declined one can be asked again.
    await page.goto("/me/platforms");
    await expect(page.getByTestId("lookup-progress")).toHaveText("还有 2 个平台需要你处理。");
    const action = page.getByRole("region", { name: zh.lookup.actionTitle });
    await expect(action.getByRole("listitem")).toHaveCount(2);
    await expect(row(page, "快行出行（沙盒）")).toContainText(/平台已于 \d{4}年\d{1,2}月\d{1,2}日 拒绝：/);
    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.unbind.reasons.account_in_use);
    await expect(row(page, "快行出行（沙盒）").getByRole("checkbox", { name: zh.unbind.select })).toBeChecked();
    await expect(row(page, "城市通政务（沙盒）").getByRole("checkbox", { name: zh.unbind.select })).toBeChecked();
    await expect(page.getByTestId("unbind-start")).toHaveText("请 2 个平台解绑");
    const other = page.getByRole("region", { name: zh.lookup.otherTitle });
    await expect(other.getByRole("listitem").filter({ hasText: "每日商城（沙盒）" })).toContainText(/已于 \d{4}年\d{1,2}月\d{1,2}日 申请解绑，正在等待答复/);
    await expect(other.getByRole("listitem").filter({ hasText: "连信（沙盒）" })).toContainText(/已于 \d{4}年\d{1,2}月\d{1,2}日 解绑/);
    await expect(other.getByRole("checkbox")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A hand-made link with a platform whose request is in flight offers nothing to send.
    const dailyMall = await row(page, "每日商城（沙盒）").getAttribute("data-platform");
    await page.goto(`/unbind/new?p=${dailyMall}`);
    await expect(page.getByText(zh.unbind.noneSelected)).toBeVisible();
    await expect(page.getByRole("button", { name: zh.unbind.confirm })).toHaveCount(0);

    // The task list: not done while one platform was left out.
    await page.goto("/me");
    const task = page.getByRole("listitem").filter({ hasText: zh.me.tasks.unbind });
    await expect(task).toContainText("已完成 5/6 个平台，还有 1 个未申请");
    await expect(task.getByRole("link")).toHaveAttribute("href", "/me/platforms");
    expect(await seriousA11yViolations(page)).toEqual([]);

    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await resumeSession(context, sender);
    await phone.goto("/me/platforms");
    await expect(phone.getByTestId("lookup-progress")).toHaveText("2 platforms still need you to act.");
    await expect(row(phone, "Daily Mall (sandbox)")).toContainText(/Requested on [A-Z][a-z]+ \d{1,2}, \d{4} — waiting for an answer/);
    await expect(row(phone, "Swift Ride (sandbox)")).toContainText(en.unbind.reasons.account_in_use);
    await expect(row(phone, "Swift Ride (sandbox)")).toContainText(en.lookup.request.again);
    await expect(phone.getByTestId("unbind-start")).toHaveText("Ask 2 platforms to unbind");
    await row(phone, "Swift Ride (sandbox)").getByRole("checkbox").uncheck();
    await expect(phone.getByTestId("unbind-start")).toHaveText("Ask 1 platform to unbind");
    expect(await seriousA11yViolations(phone)).toEqual([]);
    await phone.goto("/me");
    await expect(phone.getByRole("listitem").filter({ hasText: en.me.tasks.unbind })).toContainText("Done for 5 of 6 platforms — 1 not requested");
    expect(await seriousA11yViolations(phone)).toEqual([]);
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
