import type { Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
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
type Messages = (typeof messages)[Locale];

/** A message as the page shows it: rich-text tags dropped, `{name}` values filled in. */
function shown(message: string, values: Record<string, string | number> = {}) {
  return message.replace(/<\/?\w+>/g, "").replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}
/** A message with a value the test cannot know exactly (a date) as a pattern. */
function pattern(message: string) {
  return new RegExp(shown(message).replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/undefined/g, ".+"));
}
const SILENCE_DAYS = 14; // lib/unbind/silence.ts
const dayIn = (locale: Locale, at: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "Asia/Shanghai" }).format(at);

/** Lending platform A or B: the two category-only lending platforms, told apart by a letter. */
const lending = (t: Messages, letter: "A" | "B") => t.lookup.categoryLettered.lending.replace("{letter}", letter);

/** Consent, then a look-up, on the look-up page: six platforms bound before the owner's tenure. */
async function checkPlatforms(page: Page, t: Messages) {
  await page.goto("/me/platforms");
  await page.getByRole("checkbox").check();
  // "Agree and check": one submit records the consent and starts the look-up.
  await page.getByRole("button", { name: t.lookup.consent.submit }).click();
  await expect(page.getByRole("checkbox", { name: t.unbind.select })).toHaveCount(6);
}
const unbindButton = (page: Page, locale: Locale) => page.getByRole("button", { name: locale === "en" ? /^Ask \d+ platforms? to unbind$/ : /^请 \d+ 个平台解绑$/ });
/** A row of the batch page's platform list (not of the not-requested list below it). */
const batchRow = (page: Page, name: string) => page.getByTestId("batch-items").getByRole("listitem").filter({ hasText: name });

test.describe("one request, every platform", () => {
  test("check answers, then a batch page that says what each answer means and which platforms were left out (zh-CN)", async ({ page, request }) => {
    await partnerKnobs(request, owner, "swift-ride", { unbind: { outcome: "scheduled", noticeDays: 7, delayMs: 800 } });
    await partnerKnobs(request, owner, "daily-mall", { unbind: { outcome: "rejected", reason: "account_in_use", delayMs: 400 } });
    await partnerKnobs(request, owner, "city-services", { unbind: { outcome: "needs_owner_action", instructions: "打开城市通 App，在「设置 › 手机号」中确认更换。", delayMs: 600 } });
    // The two lending platforms are shown by category only (lending platform A and B): both keep
    // their answer back for ten minutes; B is left out of the request.
    for (const slug of ["easy-credit", "quick-loan"]) await partnerKnobs(request, owner, slug, { unbind: { delayMs: 600_000 } });
    await signIn(page, request, owner, "zh-CN");
    await checkPlatforms(page, zh);
    await row(page, lending(zh, "B")).getByRole("checkbox", { name: zh.unbind.select }).uncheck();
    await unbindButton(page, "zh-CN").click();

    // Check answers: what goes to whom, a way back and a way to change the selection.
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.checkTitle })).toBeVisible();
    await expect(page.getByTestId("selected-platforms").getByRole("listitem")).toHaveCount(5);
    await expect(page.getByRole("definition").filter({ hasText: owner.masked })).toBeVisible();
    // Back and change keep the choice: the look-up page ticks the five again, not the sixth.
    await expect(page.getByRole("link", { name: zh.unbind.back, exact: true })).toHaveAttribute("href", /^\/me\/platforms\?(p=[0-9a-f-]{36}&?){5}$/);
    const change = page.getByRole("link", { name: `${zh.unbind.check.change} ${zh.unbind.check.platforms}` });
    await expect(change).toHaveAttribute("href", /^\/me\/platforms\?(p=[0-9a-f-]{36}&?){5}$/);
    // A carrier-recorded date is not the owner's to change.
    await expect(page.getByRole("link", { name: `${zh.unbind.check.change} ${zh.unbind.check.tenure}` })).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await change.click();
    await expect(page).toHaveURL(/\/me\/platforms\?p=/);
    await expect(row(page, lending(zh, "B")).getByRole("checkbox", { name: zh.unbind.select })).not.toBeChecked();
    await expect(row(page, lending(zh, "A")).getByRole("checkbox", { name: zh.unbind.select })).toBeChecked();
    await expect(unbindButton(page, "zh-CN")).toHaveText("请 5 个平台解绑");
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.checkTitle })).toBeVisible();
    await page.getByRole("button", { name: zh.unbind.confirm }).click();

    await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.batchTitle })).toBeVisible();
    // The rows move on their own; the lending platform keeps its answer back.
    await expect(page.getByTestId("batch-progress")).toHaveText(shown(zh.unbind.progress, { done: 4, total: 5 }), { timeout: 20_000 });
    const acceptedAt = new Date();
    await expect(batchRow(page, "连信（沙盒）")).toContainText(zh.unbind.meaning.unbound);
    await expect(batchRow(page, "快行出行（沙盒）")).toContainText(pattern(zh.unbind.meaning.scheduled));
    const mall = batchRow(page, "每日商城（沙盒）");
    await expect(mall).toContainText(zh.unbind.status.rejected);
    await expect(mall).toContainText(zh.unbind.reasons.account_in_use);
    await expect(mall).toContainText(shown(zh.unbind.meaning.declinedNext));
    await expect(mall.getByRole("link", { name: "重新查询各平台" })).toHaveAttribute("href", "/me/platforms");
    const city = batchRow(page, "城市通政务（沙盒）");
    await expect(city).toContainText(zh.unbind.meaning.needsAction);
    await expect(city).toContainText("打开城市通 App");
    const lendingA = batchRow(page, lending(zh, "A"));
    await expect(lendingA).toContainText(zh.unbind.status.accepted);
    // Carrier customer service takes over after the silence rule's 14 days, counted from acceptance.
    await expect(lendingA).toContainText(shown(zh.unbind.meaning.awaiting, { date: dayIn("zh-CN", new Date(acceptedAt.getTime() + SILENCE_DAYS * 86_400_000)) }));

    // The platform left out, with a way to ask it.
    const left = page.getByRole("region", { name: zh.unbind.notRequested.title });
    await expect(left.getByRole("listitem")).toHaveCount(1);
    await expect(left.getByRole("listitem")).toContainText(lending(zh, "B"));
    await expect(left.getByRole("link", { name: "请这 1 个平台解绑" })).toHaveAttribute("href", /^\/unbind\/new\?p=[0-9a-f-]{36}$/);
    // The timeline of one row: queued → sent → accepted → unbound.
    const linkup = batchRow(page, "连信（沙盒）");
    await linkup.getByText(zh.unbind.timeline).click();
    await expect(linkup.getByRole("listitem")).toHaveCount(4);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Each requested platform got exactly one request; the one left out got none.
    const unbinds = (await partnerStats(request, owner)).unbinds;
    expect(Object.values(unbinds)).toEqual([1, 1, 1, 1, 1]);

    // The list: each batch with its platforms and how they answered.
    await page.goto("/unbind");
    const entry = page.getByTestId("batch-entry");
    await expect(entry).toHaveCount(1);
    await expect(entry.getByTestId("batch-summary")).toHaveText("已解绑 1 个，已排期 1 个，需你处理 1 个，被拒绝 1 个，等待答复 1 个");
    await expect(entry).toContainText("连信（沙盒）");
    await expect(entry).toContainText(lending(zh, "A"));
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("the batch list and page in English, at phone size", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, owner);
    await page.goto("/unbind");
    await expect(page.getByRole("heading", { level: 1, name: en.unbind.listTitle })).toBeVisible();
    const entry = page.getByTestId("batch-entry");
    await expect(entry.getByTestId("batch-summary")).toHaveText("1 unbound, 1 scheduled, 1 needs your action, 1 declined, 1 waiting");
    await expect(entry).toContainText(/Platforms: .*Linkup Chat \(sandbox\)/);
    await expect(entry).toContainText(lending(en, "A"));
    await expect(entry).toContainText("5 platforms · 4 answered");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await entry.getByRole("link").click();
    await expect(page.getByTestId("batch-progress")).toHaveText(shown(en.unbind.progress, { done: 4, total: 5 }));
    await expect(batchRow(page, "Linkup Chat (sandbox)")).toContainText(en.unbind.meaning.unbound);
    await expect(batchRow(page, "Swift Ride (sandbox)")).toContainText(pattern(en.unbind.meaning.scheduled));
    await expect(batchRow(page, "Daily Mall (sandbox)")).toContainText(en.unbind.reasons.account_in_use);
    await expect(batchRow(page, "Daily Mall (sandbox)")).toContainText(shown(en.unbind.meaning.declinedNext));
    await expect(batchRow(page, "City Services (sandbox)")).toContainText(en.unbind.meaning.needsAction);
    await expect(batchRow(page, lending(en, "A"))).toContainText(pattern(en.unbind.meaning.awaiting));
    const left = page.getByRole("region", { name: en.unbind.notRequested.title });
    await expect(left).toContainText(en.unbind.notRequested.body);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Asking the platform left out goes through check answers with just that one.
    await left.getByRole("link", { name: "Ask this platform to unbind" }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.unbind.checkTitle })).toBeVisible();
    await expect(page.getByTestId("selected-platforms").getByRole("listitem")).toHaveCount(1);
    await expect(page.getByTestId("selected-platforms")).toContainText(lending(en, "B"));
    // A batch that is not this owner's (or does not exist) is a real 404, not a 200 "not found".
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const missing = await page.goto(`/unbind/${id}`);
      expect(missing?.status()).toBe(404);
    }
    expect((await page.goto("/reports/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
    await context.close();
  });

  for (const { locale, viewport } of [
    { locale: "zh-CN" as const, viewport: { width: 1280, height: 800 } },
    { locale: "en" as const, viewport: { width: 390, height: 844 } },
  ]) {
    test(`a code older than 15 minutes is confirmed again inline, with an error summary that says how many tries are left (${locale})`, async ({ browser, request }) => {
      const t = messages[locale];
      const context = await browser.newContext({ locale, viewport });
      const page = await context.newPage();
      // An owner of this test's own: its hour of time travel touches no one else's codes or batches.
      const traveller = await createOwner(request, DEMO_STORY);
      await signIn(page, request, traveller, locale);
      await checkPlatforms(page, t);
      // An hour passes for this browser: the sign-in code is too old to unbind with.
      await advanceServerClock(page, 61 * 60_000);
      await unbindButton(page, locale).click();
      await expect(page.getByRole("heading", { name: t.unbind.reverifyTitle })).toBeVisible();
      await expect(page.getByRole("button", { name: t.unbind.confirm })).toHaveCount(0);
      await page.getByRole("button", { name: t.unbind.reverifySend }).click();
      await expect(page.getByText(t.unbind.reverifySent)).toBeVisible();
      const { code } = await latestCode(request, traveller.number);
      const wrong = code === "000000" ? "111111" : "000000";
      const field = page.getByLabel(t.unbind.reverifyCode);
      const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: t.unbind.reverifyErrorTitle }) });

      await field.fill(wrong);
      await page.getByRole("button", { name: t.unbind.reverifySubmit }).click();
      const fourLeft = locale === "en" ? "That code is not right. You have 4 tries left." : "验证码不正确，还可以再试 4 次。";
      await expect(summary).toBeFocused();
      await expect(summary.getByRole("link", { name: fourLeft })).toBeVisible();
      // Beside the field too, and what was typed is still there.
      await expect(field).toHaveAccessibleDescription(fourLeft);
      await expect(field).toHaveValue(wrong);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await summary.getByRole("link", { name: fourLeft }).click();
      await expect(field).toBeFocused();

      await page.getByRole("button", { name: t.unbind.reverifySubmit }).click();
      await expect(summary.getByRole("link")).toHaveText(locale === "en" ? "That code is not right. You have 3 tries left." : "验证码不正确，还可以再试 3 次。");

      // A new code (after the minute between codes) clears the old code's error.
      await advanceServerClock(page, 61_000);
      await page.getByRole("button", { name: t.unbind.reverifySend }).click();
      await expect(page.getByText(t.unbind.reverifySent)).toBeVisible();
      await expect(summary).toHaveCount(0);
      await field.fill((await latestCode(request, traveller.number)).code);
      await page.getByRole("button", { name: t.unbind.reverifySubmit }).click();
      await expect(page.getByRole("button", { name: t.unbind.confirm })).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
