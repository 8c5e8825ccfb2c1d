import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { advanceServerClock, createOwner, DEMO_STORY, partnerKnobs, partnerStats, resumeSession, row, signIn, type TestOwner } from "./pages/owner-session";
import { latestCode } from "./pages/owner-sign-in";

// The batch list in English returns to the batch the first test sent, for the spec's own owner
// (the seed's demo story on a fresh number), so the tests run in order.
// A story test has many steps and accessibility checks, and shares the cores with the other specs
// running beside it: a minute each, not the default 30 s.
test.describe.configure({ mode: "serial", timeout: 60_000 });
let owner: TestOwner;
test.beforeAll(async ({ request }) => {
  owner = await createOwner(request, DEMO_STORY);
});

const zh = messages["zh-CN"];
const en = messages.en;

test.describe("one request, every platform", () => {
  test("an owner sends a batch for their number and watches every row reach its final state (zh-CN)", async ({ page, request }) => {
    await partnerKnobs(request, owner, "swift-ride", { unbind: { outcome: "scheduled", noticeDays: 7, delayMs: 800 } });
    await partnerKnobs(request, owner, "daily-mall", { unbind: { outcome: "rejected", reason: "account_in_use", delayMs: 400 } });
    await partnerKnobs(request, owner, "city-services", { unbind: { outcome: "needs_owner_action", instructions: "打开城市通 App，在「设置 › 手机号」中确认更换。", delayMs: 600 } });
    await signIn(page, request, owner, "zh-CN");

    // Agree, check, then select.
    await page.goto("/me/platforms");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await page.getByRole("button", { name: zh.lookup.check.start }).click();
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    const selections = page.getByRole("checkbox", { name: zh.unbind.select });
    await expect(selections).toHaveCount(6);
    for (const box of await selections.all()) await expect(box).toBeChecked();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "请 6 个平台解绑" }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.newTitle })).toBeVisible();
    await expect(page.getByRole("listitem")).toHaveCount(6);
    await expect(page.getByText(/可能|提醒账号持有人/).first()).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: zh.unbind.confirm }).click();

    await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.batchTitle })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The rows move on their own until every platform has answered.
    await expect(page.getByTestId("batch-progress")).toHaveText(zh.unbind.complete, { timeout: 20_000 });
    await expect(row(page, "连信（沙盒）")).toContainText(zh.unbind.status.unbound);
    await expect(row(page, "快行出行（沙盒）")).toContainText("已排期：");
    await expect(row(page, "快行出行（沙盒）")).toContainText(zh.unbind.scheduledNote);
    await expect(row(page, "每日商城（沙盒）")).toContainText(zh.unbind.status.rejected);
    await expect(row(page, "每日商城（沙盒）")).toContainText(zh.unbind.reasons.account_in_use);
    await expect(row(page, "城市通政务（沙盒）")).toContainText(zh.unbind.status.needs_owner_action);
    await expect(row(page, "城市通政务（沙盒）")).toContainText("打开城市通 App");
    await expect(row(page, zh.lookup.categoryOnly.lending)).toHaveCount(2);
    // The timeline of one row: queued → sent → accepted → unbound.
    const linkup = row(page, "连信（沙盒）");
    await linkup.getByText(zh.unbind.timeline).click();
    await expect(linkup.getByRole("listitem")).toHaveCount(4);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Each platform got exactly one request, and the owner got one SMS.
    expect(Object.values((await partnerStats(request, owner)).unbinds)).toEqual([1, 1, 1, 1, 1, 1]);
    await expect
      .poll(async () => ((await (await request.get(`/api/dev/sms?to=${encodeURIComponent(owner.number)}`)).json()) as { messages: { body: string }[] }).messages[0]?.body ?? "")
      .toMatch(/^【Reclaim】你的解绑申请已完成：已解绑 3 个，已排期 1 个，被拒绝 1 个，需你处理 1 个。详情：http:\/\/127\.0\.0\.1:\d+\/unbind\/[0-9a-f-]{36}$/);

    // A new look-up now finds the three unbound platforms not bound any more.
    await page.goto("/me");
    await expect(page.getByRole("listitem").filter({ hasText: zh.me.tasks.unbind })).toContainText(zh.me.taskStatus.done);
  });

  test("a code older than 15 minutes is confirmed again inline before sending", async ({ page, request }) => {
    // An owner of this test's own: its hour of time travel touches no one else's codes or batches.
    const traveller = await createOwner(request, DEMO_STORY);
    await signIn(page, request, traveller, "zh-CN");
    await page.goto("/me/platforms");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await page.getByRole("button", { name: zh.lookup.check.start }).click();
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    // An hour passes for this browser: the sign-in code is too old to unbind with.
    await advanceServerClock(page, 61 * 60_000);
    await page.getByRole("button", { name: "请 6 个平台解绑" }).click();
    await expect(page.getByRole("heading", { name: zh.unbind.reverifyTitle })).toBeVisible();
    await expect(page.getByRole("button", { name: zh.unbind.confirm })).toHaveCount(0);
    await page.getByRole("button", { name: zh.unbind.reverifySend }).click();
    await expect(page.getByText(zh.unbind.reverifySent)).toBeVisible();
    const { code } = await latestCode(request, traveller.number);
    await page.getByLabel(zh.unbind.reverifyCode).fill("000000" === code ? "111111" : "000000");
    await page.getByRole("button", { name: zh.unbind.reverifySubmit }).click();
    await expect(page.getByText(zh.unbind.errors.wrongCode).first()).toBeVisible();
    await page.getByLabel(zh.unbind.reverifyCode).fill(code);
    await page.getByRole("button", { name: zh.unbind.reverifySubmit }).click();
    await expect(page.getByRole("button", { name: zh.unbind.confirm })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("the batch list and page in English, at phone size", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, owner);
    await page.goto("/unbind");
    await expect(page.getByRole("heading", { level: 1, name: en.unbind.listTitle })).toBeVisible();
    await expect(page.getByText("6 platforms · 6 answered")).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("listitem").first().getByRole("link").click();
    await expect(page.getByTestId("batch-progress")).toHaveText(en.unbind.complete);
    await expect(row(page, "Linkup Chat (sandbox)")).toContainText(en.unbind.status.unbound);
    await expect(row(page, "Daily Mall (sandbox)")).toContainText(en.unbind.reasons.account_in_use);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // A batch that is not this owner's (or does not exist) is a real 404, not a 200 "not found".
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const missing = await page.goto(`/unbind/${id}`);
      expect(missing?.status()).toBe(404);
    }
    expect((await page.goto("/reports/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
    await context.close();
  });
});
