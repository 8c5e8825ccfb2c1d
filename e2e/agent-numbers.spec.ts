import type { Page } from "@playwright/test";
import { DEMO_OWNER_NUMBER, DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { StaffLoginPage } from "./pages/staff-login-page";

const agent = staffSeed.find((s) => s.role === "agent")!;

/** The search and the number's page in one language, for the signed-in demo agent of China Mobile. */
async function searchAndReveal(page: Page, locale: Locale) {
  const m = messages[locale];
  const t = m.agentNumbers;
  await page.goto("/agent/numbers");
  await expect(page.getByRole("heading", { level: 1, name: t.title })).toBeVisible();
  const field = page.getByLabel(t.query);
  // `/` jumps to the search field from anywhere on the page.
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("/");
  await expect(field).toBeFocused();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // National form, as people say it.
  await field.fill("138 0013 8000");
  await page.getByRole("button", { name: t.search }).click();
  await expect(page).toHaveURL(/\/agent\/numbers\/[0-9a-f-]{36}$/);
  const numberPage = page.url();
  expect(numberPage).not.toContain("13800138000");
  await expect(page.getByRole("heading", { level: 1, name: t.pageTitle })).toBeVisible();
  await expect(page.getByTestId("agent-number")).toHaveText("138****8000");
  await expect(page.getByText("138 0013 8000")).toHaveCount(0);
  await expect(page.getByRole("region", { name: t.tenures.title }).getByRole("row")).toHaveCount(3);
  await expect(page.getByRole("cell", { name: t.tenures.current })).toBeVisible();
  for (const section of [t.lookups.title, t.batches.title, t.reports.title, t.cases.title]) await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  // On a phone the tables say they scroll sideways; on a desktop they fit and the cue is hidden.
  const phone = (page.viewportSize()?.width ?? 1280) < 640;
  await expect(page.getByText(t.scrollCue).first()).toBeVisible({ visible: phone });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Reveal: the full number, for this view only.
  await page.getByRole("button", { name: t.reveal }).click();
  await expect(page.getByTestId("agent-number")).toHaveText("138 0013 8000");
  await expect(page.getByText(t.revealedNote)).toBeVisible();
  await expect(page.getByRole("button", { name: t.reveal })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.reload();
  await expect(page.getByTestId("agent-number")).toHaveText("138****8000");

  // E.164 finds the same page.
  await page.goto(`/agent/numbers?q=${encodeURIComponent(DEMO_OWNER_NUMBER)}`);
  await expect(page).toHaveURL(numberPage);

  // A China Unicom number: not found for a China Mobile agent, with what was typed kept.
  await page.goto("/agent/numbers");
  await page.getByLabel(t.query).fill("186 2000 1234");
  await page.getByRole("button", { name: t.search }).click();
  await expect(page).toHaveURL(/\/agent\/numbers\?q=/);
  await expect(page.getByText(t.errors.not_found.replace("{carrier}", locale === "en" ? "China Mobile" : "中国移动")).first()).toBeVisible();
  await expect(page.getByLabel(t.query)).toHaveValue("186 2000 1234");
  await expect(page.getByLabel(t.query)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("186 2000 1234", { exact: false })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Not a number at all: said so, nothing else.
  await page.getByLabel(t.query).fill("12345");
  await page.getByRole("button", { name: t.search }).click();
  await expect(page.getByText(t.errors.invalid_number).first()).toBeVisible();

  // A made-up (or another carrier's) id is simply not there.
  expect((await page.goto("/agent/numbers/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: m.errors.notFoundTitle })).toBeVisible();
}

test.describe("agent number search and the number's page", () => {
  // One sign-in per device, both languages after it: the demo agent's TOTP codes are single-use and shared by every spec.
  test("the demo agent finds the demo number in national and E.164 form, sees it masked, reveals it; a China Unicom number is not found (zh-CN, en)", async ({ page, context }) => {
    test.setTimeout(150_000);
    const login = new StaffLoginPage(page, "zh-CN");
    await login.goto();
    await login.signInWithTotp(agent.email, agent.password, DEV_TOTP_SECRET, /\/agent$/);
    await searchAndReveal(page, "zh-CN");
    await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: test.info().project.use.baseURL! }]);
    await searchAndReveal(page, "en");
  });
});
