import { staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { StaffLoginPage } from "./pages/staff-login-page";

const agent = staffSeed.find((s) => s.role === "agent")!;
const regulator = staffSeed.find((s) => s.role === "regulator")!;

test.describe("staff sign-in and role-checked consoles", () => {
  test("signed-out visitors to the consoles are sent to the staff sign-in", async ({ page }) => {
    for (const path of ["/agent", "/regulator"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/staff\/login$/);
    }
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].staffLogin.title })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("bad input gets translated errors next to the fields, and the email typed is kept", async ({ page }) => {
    const login = new StaffLoginPage(page);
    await login.goto();
    await login.signIn("not-an-email", "");
    await expect(login.errorSummary()).toBeVisible();
    await expect(login.errorSummary()).toBeFocused();
    await expect(page.getByText(login.t.errors.email).last()).toBeVisible();
    await expect(page.getByLabel(login.t.email)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(login.t.email)).toHaveValue("not-an-email");

    await login.signIn(agent.email, "wrong-password");
    await expect(login.errorSummary()).toContainText(login.t.errors.invalid);
    await expect(page.getByLabel(login.t.email)).toHaveValue(agent.email);
    await expect(page).toHaveURL(/\/staff\/login$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("an agent sees their carrier's tenure records, masked, and cannot open the regulator view", async ({ page }) => {
    const login = new StaffLoginPage(page);
    await login.goto();
    await login.signIn(agent.email, agent.password);
    await expect(page).toHaveURL(/\/agent$/);
    const t = messages["zh-CN"].agent;
    await expect(page.getByRole("heading", { level: 1, name: t.title })).toBeVisible();
    await expect(page.getByText("你负责的运营商：中国移动")).toBeVisible();
    await expect(page.getByRole("cell", { name: "138****8000" }).first()).toBeVisible();
    await expect(page.getByText("+8613800138000")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto("/regulator");
    await expect(page).toHaveURL(/\/agent$/);

    await page.getByRole("button", { name: messages["zh-CN"].staff.signOut }).click();
    await expect(page).toHaveURL(/\/staff\/login$/);
    await page.goto("/agent");
    await expect(page).toHaveURL(/\/staff\/login$/);
  });

  test("a regulator sees only totals, with small counts suppressed (English)", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const login = new StaffLoginPage(page, "en");
    await login.goto();
    await login.signIn(regulator.email, regulator.password);
    await expect(page).toHaveURL(/\/regulator$/);
    await expect(page.getByRole("heading", { level: 1, name: messages.en.regulator.title })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Lending" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Fewer than 5" }).first()).toBeVisible();
    await expect(page.getByText("138****")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto("/agent");
    await expect(page).toHaveURL(/\/regulator$/);
    await context.close();
  });
});
