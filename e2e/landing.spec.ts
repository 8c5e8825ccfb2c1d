import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { LandingPage } from "./pages/landing-page";

test.describe("landing page", () => {
  test("explains the service in Chinese by default, with the three steps", async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await expect(landing.heading("zh-CN")).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    const zh = messages["zh-CN"].landing;
    for (const step of ["verify", "check", "act"] as const) {
      await expect(page.getByRole("heading", { level: 3, name: zh.steps[step].title })).toBeVisible();
    }
    await expect(page.getByText("第 1 步")).toBeVisible();
    // Numbers and dates are formatted for the locale.
    await expect(page.getByText("3500万", { exact: true })).toBeVisible();
    await expect(page.getByText("页面更新于 2026年11月28日")).toBeVisible();
  });

  test("speaks English to an English browser", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    const landing = new LandingPage(page);
    await landing.goto();
    await expect(landing.heading("en")).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByText("Step 1", { exact: true })).toBeVisible();
    await expect(page.getByText("35M", { exact: true })).toBeVisible();
    await expect(page.getByText("Page updated November 28, 2026")).toBeVisible();
    await context.close();
  });

  test("switches language and remembers the choice", async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await landing.switchTo("en", "zh-CN");
    await expect(landing.heading("en")).toBeVisible();
    await page.reload();
    await expect(landing.heading("en")).toBeVisible();
    await expect(landing.languageNav("en").getByRole("button", { name: "English" })).toHaveAttribute("aria-current", "true");
    await landing.switchTo("zh-CN", "en");
    await expect(landing.heading("zh-CN")).toBeVisible();
  });

  test("the how-it-works link takes the reader to the steps", async ({ page }) => {
    const landing = new LandingPage(page);
    await landing.goto();
    await page.getByRole("link", { name: messages["zh-CN"].landing.ctaPrimary }).click();
    await expect(page).toHaveURL(/#how-it-works$/);
    await expect(page.getByRole("heading", { level: 2, name: messages["zh-CN"].landing.stepsTitle })).toBeInViewport();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    test(`has no serious accessibility problems (${locale})`, async ({ browser }) => {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await new LandingPage(page).goto();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await context.close();
    });
  }

  test("unknown pages get a translated 404 with a way home", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle(`${messages["zh-CN"].errors.notFoundTitle} · Reclaim`);
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].errors.notFoundTitle })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: messages["zh-CN"].errors.home }).click();
    await expect(new LandingPage(page).heading("zh-CN")).toBeVisible();
    await expect(page).toHaveTitle(messages["zh-CN"].meta.title);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("can be installed: the page links a manifest that opens on the number page, with its icons", async ({ page, request }) => {
    await new LandingPage(page).goto();
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBeTruthy();
    const manifest = await (await request.get(href!)).json();
    expect(manifest).toMatchObject({ short_name: "Reclaim", start_url: "/me", display: "standalone" });
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const response = await request.get(icon.src);
      expect({ src: icon.src, status: response.status(), type: response.headers()["content-type"] }).toEqual({ src: icon.src, status: 200, type: icon.type });
    }
  });

  for (const locale of ["zh-CN", "en"] as const) {
    test(`the footer's service status link opens the status in words, not JSON (${locale})`, async ({ browser }, testInfo) => {
      const t = messages[locale];
      const context = await browser.newContext({ locale, ...(testInfo.project.name === "phone" ? { viewport: { width: 390, height: 844 } } : {}) });
      const page = await context.newPage();
      await new LandingPage(page).goto();
      await page.getByRole("contentinfo").getByRole("link", { name: t.footer.health }).click();
      await expect(page).toHaveURL(/\/status$/);
      await expect(page.getByRole("heading", { level: 1, name: t.status.title })).toBeVisible();
      // The three parts, each with its state in words (and an icon), never colour alone.
      for (const part of [t.status.database, t.status.sms, t.status.dispatcher]) {
        await expect(page.getByRole("heading", { level: 2, name: part })).toBeVisible();
      }
      const rows = page.getByRole("listitem");
      await expect(rows.filter({ hasText: t.status.database })).toContainText(t.status.working);
      // The e2e server runs the sandbox's SMS outbox, and says so.
      await expect(rows.filter({ hasText: t.status.sms })).toContainText(t.status.smsDev);
      // The dispatcher's backlog as a count and an age, or "nothing waiting".
      await expect(rows.filter({ hasText: t.status.dispatcher })).toContainText(locale === "en" ? /waiting to be delivered|Nothing is waiting/ : /等待发送/);
      // Counts only: no number, no platform, no message.
      expect(await page.getByRole("main").innerText()).not.toMatch(/\+?86\s?1\d{2}|1[3-9]\d{9}|沙盒平台|sandbox platform/i);
      await expect(page.getByRole("link", { name: "/api/health" })).toHaveAttribute("href", "/api/health");
      expect(await seriousA11yViolations(page)).toEqual([]);
      await context.close();
    });
  }

  test("the English header keeps the language switcher on one line beside the brand", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await new LandingPage(page).goto();
    const brand = (await page.getByRole("link", { name: messages.en.brand.home }).boundingBox())!;
    const chinese = (await page.getByRole("button", { name: "Switch to 中文" }).boundingBox())!;
    const english = (await page.getByRole("button", { name: "English", exact: true }).boundingBox())!;
    expect(Math.abs(chinese.y - english.y)).toBeLessThan(2);
    // Beside the brand, not wrapped below it.
    expect(chinese.y).toBeLessThan(brand.y + brand.height);
    expect(english.x + english.width).toBeLessThanOrEqual(390);
    await context.close();
  });
});
