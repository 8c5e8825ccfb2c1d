import type { Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { advanceServerClock, createOwner, DEMO_STORY, signIn } from "./pages/owner-session";

// Each test makes its own owner (and its own browsers): they run side by side with the other specs.
test.describe.configure({ timeout: 90_000 });

const zh = messages["zh-CN"];
const en = messages.en;

const ownerMenu = (page: Page, locale: Locale) => page.getByRole("navigation", { name: messages[locale].nav.ownerMenu });

test.describe("the owner's way around and back", () => {
  test("a header menu on every owner page marks the page being shown (zh-CN, desktop)", async ({ page, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    // Signed-out visitors get no owner menu.
    await page.goto("/");
    await expect(ownerMenu(page, "zh-CN")).toHaveCount(0);
    await signIn(page, request, owner, "zh-CN");

    const pages = [
      { path: "/me", name: zh.nav.myNumber, heading: zh.me.title },
      { path: "/unbind", name: zh.nav.myRequests },
      { path: "/reports", name: zh.nav.myReports, heading: zh.reports.listTitle },
      // Inside "my number"'s path, yet its own item: only the deepest item is current.
      { path: "/me/data", name: zh.nav.myData },
    ];
    for (const shown of pages) {
      await page.goto(shown.path);
      if (shown.heading) await expect(page.getByRole("heading", { level: 1, name: shown.heading })).toBeVisible();
      const menu = ownerMenu(page, "zh-CN");
      for (const other of pages) {
        const link = menu.getByRole("link", { name: other.name, exact: true });
        await expect(link).toBeVisible();
        await expect(link).toHaveAttribute("href", other.path);
        if (other === shown) await expect(link).toHaveAttribute("aria-current", "page");
        else await expect(link).not.toHaveAttribute("aria-current");
      }
      await expect(menu.getByRole("link", { name: zh.nav.signOut })).toHaveAttribute("href", `/sign-out?from=${encodeURIComponent(shown.path)}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    // A page inside a section marks its section, not as the page itself.
    await page.goto("/reports/new");
    await expect(ownerMenu(page, "zh-CN").getByRole("link", { name: zh.nav.myReports })).toHaveAttribute("aria-current", "true");
    // The menu follows client-side navigation too.
    await ownerMenu(page, "zh-CN").getByRole("link", { name: zh.nav.myNumber }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(ownerMenu(page, "zh-CN").getByRole("link", { name: zh.nav.myNumber })).toHaveAttribute("aria-current", "page");
    // A carrier record is not the owner's to correct: the page says who can.
    await expect(page.getByText("这个日期来自中国移动的记录，不能在这里修改。如果有误，请联系中国移动客服更正。")).toBeVisible();
    await expect(page.getByText(zh.me.correctToggle)).toHaveCount(0);
  });

  test("on a phone in English the menu is a disclosure, and the header stays on one line", async ({ browser, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, context.request, owner, "en");

    const menu = ownerMenu(page, "en");
    const toggle = menu.getByText(en.nav.menu, { exact: true });
    await expect(toggle).toBeVisible();
    await expect(menu.getByRole("link", { name: en.nav.myReports })).toBeHidden();
    await toggle.click();
    await expect(menu.getByRole("link", { name: en.nav.myNumber })).toHaveAttribute("aria-current", "page");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Escape closes it and gives focus back to the toggle.
    await menu.getByRole("link", { name: en.nav.myReports }).focus();
    await page.keyboard.press("Escape");
    await expect(menu.getByRole("link", { name: en.nav.myReports })).toBeHidden();
    await expect(toggle).toBeFocused();
    // Opened by keyboard, followed to another page: it is closed there, with that page marked.
    await page.keyboard.press("Enter");
    await menu.getByRole("link", { name: en.nav.myReports }).click();
    await expect(page).toHaveURL(/\/reports$/);
    await expect(menu.getByRole("link", { name: en.nav.myReports })).toBeHidden();
    await toggle.click();
    await expect(menu.getByRole("link", { name: en.nav.myReports })).toHaveAttribute("aria-current", "page");

    // The language switcher stays on the brand's line, "中文 English" side by side.
    const brand = await page.getByRole("link", { name: en.brand.home }).boundingBox();
    const chinese = await page.getByRole("button", { name: "Switch to 中文" }).boundingBox();
    const english = await page.getByRole("button", { name: "English", exact: true }).boundingBox();
    expect(Math.abs(chinese!.y - english!.y)).toBeLessThan(2);
    expect(chinese!.y).toBeLessThan(brand!.y + brand!.height);
    expect(english!.x + english!.width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  test("signing out asks first; cancel goes back; signing out ends the session (zh-CN)", async ({ page, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    await signIn(page, request, owner, "zh-CN");
    await page.goto("/reports");
    await ownerMenu(page, "zh-CN").getByRole("link", { name: zh.nav.signOut }).click();
    await expect(page).toHaveURL(/\/sign-out\?from=%2Freports$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.sessions.confirmTitle })).toBeVisible();
    await expect(ownerMenu(page, "zh-CN").getByRole("link", { name: zh.nav.signOut })).toHaveAttribute("aria-current", "page");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("link", { name: zh.sessions.cancel }).click();
    await expect(page).toHaveURL(/\/reports$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.reports.listTitle })).toBeVisible();

    // A hand-made "from" off this site sends cancel to the number page instead.
    await page.goto("/sign-out?from=%2F%2Fevil.example");
    await expect(page.getByRole("link", { name: zh.sessions.cancel })).toHaveAttribute("href", "/me");
    await page.getByRole("button", { name: zh.sessions.confirmSignOut, exact: true }).click();
    // It says it worked, and how to come back (GOV.UK "You have signed out").
    await expect(page).toHaveURL(/\/signed-out$/);
    await expect(page.getByRole("status")).toContainText(zh.signedOut.thisDevice);
    await expect(page.getByRole("heading", { level: 1, name: zh.signedOut.title })).toBeVisible();
    await expect(page.getByRole("link", { name: zh.signedOut.signIn })).toHaveAttribute("href", "/login");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await expect(ownerMenu(page, "zh-CN")).toHaveCount(0);
    await page.goto("/reports");
    await expect(page).toHaveURL(/\/login\?next=%2Freports$/);
  });

  test("sign out everywhere signs out the owner's other browser too (en)", async ({ browser, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    const laptop = await browser.newContext({ locale: "en-US" });
    const phone = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const here = await laptop.newPage();
    const there = await phone.newPage();
    await signIn(here, laptop.request, owner, "en");
    // A second sign-in of the same number, on its own device: past the 10-second gap between codes.
    await advanceServerClock(there, 15_000);
    await signIn(there, phone.request, owner, "en");

    await here.getByRole("navigation", { name: en.nav.ownerMenu }).getByRole("link", { name: en.nav.signOut }).click();
    await expect(here.getByRole("heading", { level: 1, name: en.sessions.confirmTitle })).toBeVisible();
    await here.getByRole("button", { name: en.sessions.signOutEverywhere }).click();
    await expect(here.getByRole("heading", { level: 1, name: en.signedOut.title })).toBeVisible();
    await expect(here.getByRole("status")).toContainText(en.signedOut.everywhere);

    // The other browser's session has ended too: its next page asks it to sign in.
    await there.goto("/unbind");
    await expect(there).toHaveURL(/\/login\?next=%2Funbind$/);
    await expect(there.getByRole("heading", { level: 1, name: en.login.title })).toBeVisible();
    await here.goto("/me");
    await expect(here).toHaveURL(/\/login$/);
    await laptop.close();
    await phone.close();
  });

  test("a self-declared start date can be corrected; the previous one is kept (en)", async ({ browser, request }) => {
    // A number no carrier record covers: the owner declares the date.
    const owner = await createOwner(request, { carrier: "cmcc" });
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await signIn(page, context.request, owner, "en");
    await expect(page.getByText(en.me.notOnRecord)).toBeVisible();

    // The declaration's errors have a summary that takes focus, like every other form.
    await page.getByRole("button", { name: en.me.declareSubmit }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: en.me.declareErrorTitle }) });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(en.me.declareErrors.date);
    await page.getByLabel(en.me.declareLabel).fill("2025-05-01");
    await page.getByRole("button", { name: en.me.declareSubmit }).click();
    await expect(page.getByText("May 1, 2025 (declared by you", { exact: false })).toBeVisible();

    await page.getByText(en.me.correctToggle).click();
    const field = page.getByLabel(en.me.correctLabel);
    await expect(field).toHaveValue("2025-05-01");
    await field.fill("2099-01-01");
    await page.getByRole("button", { name: en.me.correctSubmit }).click();
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(en.me.declareErrors.future);
    await expect(field).toHaveValue("2099-01-01");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await field.fill("2025-05-01");
    await page.getByRole("button", { name: en.me.correctSubmit }).click();
    await expect(summary).toContainText(en.me.declareErrors.unchanged);

    await field.fill("2025-04-20");
    await page.getByRole("button", { name: en.me.correctSubmit }).click();
    await expect(page.getByText(en.me.corrected)).toBeVisible();
    await expect(summary).toHaveCount(0);
    // Still marked as the owner's own, with the date it replaced.
    await expect(page.getByText("April 20, 2025 (declared by you", { exact: false })).toBeVisible();
    await expect(page.getByText(/You corrected this date on .+; before, it was May 1, 2025\./)).toBeVisible();
    await page.reload();
    await expect(page.getByText("April 20, 2025 (declared by you", { exact: false })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
