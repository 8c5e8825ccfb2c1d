import { randomInt } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { StaffLoginPage } from "./pages/staff-login-page";

const agent = staffSeed.find((s) => s.role === "agent")!;

/**
 * Two cases of this test's own in China Mobile's queue: a tenure review opened three days ago (its
 * 48-hour first response is a day late) and a manual case opened an hour ago. The number is made
 * up here (`138 99xx xxxx`, clear of the seeded numbers and of e2e/pages/owner-session.ts's).
 */
async function casesOfOurOwn(request: APIRequestContext, origin: string) {
  const number = `+8613899${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
  const owner = await request.post("/api/dev/owners", { data: { number, carrier: "cmcc", tenures: [{ startedAt: "2025-06-01T00:00:00Z" }] }, headers: { origin } });
  expect(owner.status(), "POST /api/dev/owners").toBe(201);
  const open = async (kind: "tenure_review" | "manual", openedHoursAgo: number) => {
    const created = await request.post("/api/dev/cases", { data: { number, kind, openedHoursAgo }, headers: { origin } });
    expect(created.status(), "POST /api/dev/cases").toBe(201);
    return ((await created.json()) as { id: string }).id;
  };
  return { late: await open("tenure_review", 72), fresh: await open("manual", 1) };
}

/** The queue in one language, for the signed-in demo agent of China Mobile. */
async function workTheQueue(page: Page, locale: Locale) {
  const m = messages[locale];
  const t = m.agentQueue;
  const kinds = m.agentNumbers.cases.kindName;
  const { late, fresh } = await casesOfOurOwn(page.request, test.info().project.use.baseURL!);
  const rowOf = (id: string) => page.getByRole("row").filter({ hasText: `#${id.slice(0, 8)}` });

  await page.goto("/agent");
  await expect(page.getByRole("heading", { level: 1, name: t.heading.replace("{carrier}", locale === "en" ? "China Mobile" : "中国移动") })).toBeVisible();
  await expect(page).toHaveTitle(`${t.title} · Reclaim`);
  await expect(page.getByRole("status").filter({ hasText: locale === "en" ? /\d+ cases?/ : /共 \d+ 个工单/ })).toBeVisible();
  // On a phone the table says it scrolls sideways (and the keyboard line is hidden); on a desktop the reverse.
  const phone = (page.viewportSize()?.width ?? 1280) < 640;
  await expect(page.getByText(t.scrollCue)).toBeVisible({ visible: phone });
  await expect(page.getByText(t.keyboardHint)).toBeVisible({ visible: !phone });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Filters go into the URL through the plain GET form, and survive a reload.
  await page.getByLabel(t.kind, { exact: true }).selectOption(kinds.tenure_review);
  await page.getByLabel(t.overdue).check();
  await page.getByRole("button", { name: t.apply }).click();
  await expect(page).toHaveURL(/\/agent\?kind=tenure_review&overdue=1$/);
  await page.reload();
  await expect(page.getByLabel(t.kind, { exact: true })).toHaveValue("tenure_review");
  await expect(page.getByLabel(t.overdue)).toBeChecked();
  // Opened 72 hours ago: a day past the 48-hour first response (spans count in hours below two days).
  // The late case stands out in words and with an icon, not colour alone; the fresh one is filtered out.
  const lateRow = rowOf(late);
  await expect(lateRow).toContainText(t.overdueWord);
  await expect(lateRow).toContainText(t.deadline.first_response_overdue.replace("{time}", locale === "en" ? "24 hours" : "24 小时"));
  await expect(lateRow.getByTestId("overdue-icon")).toBeVisible();
  await expect(rowOf(fresh)).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole("link", { name: t.clear }).click();
  await expect(page).toHaveURL(/\/agent$/);

  // "Assign to me": said in words, and the row now names the agent.
  const freshRow = rowOf(fresh);
  // Opened an hour ago: 46 whole hours and some minutes left of the 48.
  await expect(freshRow).toContainText(t.deadline.first_response.replace("{time}", locale === "en" ? "46 hours" : "46 小时"));
  await expect(freshRow).toContainText(t.unassigned);
  await freshRow.getByRole("button", { name: t.assignToMe }).click();
  await expect(freshRow.getByRole("status")).toHaveText(t.done.assignedToMe);
  await expect(freshRow).toContainText(locale === "en" ? "Demo agent" : "演示客服");
  await expect(freshRow.getByRole("button", { name: t.assignToMe })).toHaveCount(0);
  // Taking the case was its first response: the resolution deadline runs now.
  await expect(freshRow).toContainText(t.deadline.resolution.replace("{time}", locale === "en" ? "14 days" : "14 天"));
  expect(await seriousA11yViolations(page)).toEqual([]);

  // j, j, Enter: the second row's case opens (that page is the case page's own spec's).
  await page.reload();
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  const focused = page.locator(":focus");
  await expect(focused).toHaveAttribute("href", /^\/agent\/cases\/[0-9a-f-]{36}$/);
  const href = await focused.getAttribute("href");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
}

test.describe("the agent's case queue", () => {
  // One sign-in per device, both languages after it: the demo agent's TOTP codes are single-use and shared by every spec.
  test("the demo agent filters the queue in the URL, sees an overdue case in words and icon, assigns a case to themself, and opens one with j/k (zh-CN, en)", async ({ page, context }) => {
    test.setTimeout(150_000);
    const login = new StaffLoginPage(page, "zh-CN");
    await login.goto();
    await login.signInWithTotp(agent.email, agent.password, DEV_TOTP_SECRET, /\/agent$/);
    await workTheQueue(page, "zh-CN");
    await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: test.info().project.use.baseURL! }]);
    await workTheQueue(page, "en");
  });
});
