import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { StaffLoginPage, totpNow } from "./pages/staff-login-page";

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

  test("an agent lands on their carrier's case queue and cannot open the regulator view", async ({ page }) => {
    const login = new StaffLoginPage(page);
    await login.goto();
    test.setTimeout(100_000);
    await login.signInWithTotp(agent.email, agent.password, DEV_TOTP_SECRET, /\/agent$/);
    const t = messages["zh-CN"].agentQueue;
    await expect(page.getByRole("heading", { level: 1, name: t.heading.replace("{carrier}", "中国移动") })).toBeVisible();
    // The queue holds no numbers at all (e2e/agent-queue.spec.ts covers the queue itself).
    await expect(page.getByText("+8613800138000")).toHaveCount(0);
    await expect(page.getByText("138****8000")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // An agent's console sections: no audit log (that is the supervisors').
    const nav = page.getByRole("navigation", { name: messages["zh-CN"].staff.consoleNav.label });
    await expect(nav.getByRole("link", { name: messages["zh-CN"].staff.consoleNav.numbers })).toHaveAttribute("href", "/agent/numbers");
    await expect(nav.getByRole("link", { name: messages["zh-CN"].staff.consoleNav.audit })).toHaveCount(0);

    // The regulator's view is not for an agent: a 403 page that says so, not a silent redirect.
    const refused = await page.goto("/regulator");
    expect(refused?.status()).toBe(403);
    await expect(page).toHaveURL(/\/regulator$/);
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].notForYou.title })).toBeVisible();
    await expect(page).toHaveTitle(`${messages["zh-CN"].notForYou.title} · Reclaim`);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto("/agent");
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
    test.setTimeout(100_000);
    await login.signInWithTotp(regulator.email, regulator.password, DEV_TOTP_SECRET, /\/regulator$/);
    await expect(page.getByRole("heading", { level: 1, name: messages.en.regulator.title })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Lending" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Fewer than 5" }).first()).toBeVisible();
    await expect(page.getByText("138****")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const refused = await page.goto("/agent");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: messages.en.notForYou.title })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(/carrier customer service/);
    await context.close();
  });

  test("a supervisor signs in with a code and works in the agent console", async ({ page }) => {
    const supervisor = staffSeed.find((s) => s.role === "supervisor")!;
    const login = new StaffLoginPage(page, "zh-CN");
    await login.goto();
    test.setTimeout(100_000);
    await login.signInWithTotp(supervisor.email, supervisor.password, DEV_TOTP_SECRET, /\/agent$/);
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].agentQueue.heading.replace("{carrier}", "中国移动") })).toBeVisible();
    // The console's sections: supervisors have the audit log too.
    const nav = page.getByRole("navigation", { name: messages["zh-CN"].staff.consoleNav.label });
    await expect(nav.getByRole("link", { name: messages["zh-CN"].staff.consoleNav.home })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: messages["zh-CN"].staff.consoleNav.audit }).click();
    await expect(page).toHaveURL(/\/agent\/audit$/);
    await expect(nav.getByRole("link", { name: messages["zh-CN"].staff.consoleNav.audit })).toHaveAttribute("aria-current", "page");
    expect((await page.goto("/regulator"))?.status()).toBe(403);
  });

  for (const locale of ["zh-CN", "en"] as const) {
    test(`a new account chooses a password, enrols an authenticator, and a reused code is refused, a recovery code works once (${locale})`, async ({ browser }) => {
      test.setTimeout(100_000);
      const context = await browser.newContext({ locale: locale === "en" ? "en-US" : "zh-CN" });
      const page = await context.newPage();
      const email = `e2e-${randomUUID().slice(0, 8)}@carrier.example`;
      const origin = new URL(test.info().project.use.baseURL!).origin;
      const created = await page.request.post("/api/dev/staff", { data: { email, role: "agent", carrier: "CMCC", name: "测试客服 / Test agent" }, headers: { origin } });
      expect(created.status()).toBe(201);
      const { password } = (await created.json()) as { password: string };
      const login = new StaffLoginPage(page, locale);
      const m = messages[locale];

      // First sign-in: the one-time password leads to choosing one's own.
      await login.goto();
      await login.signIn(email, password);
      await expect(page).toHaveURL(/\/staff\/password$/);
      await expect(page.getByRole("heading", { level: 1, name: m.staffLogin.changePassword.title })).toBeVisible();
      await page.getByLabel(m.staffLogin.changePassword.password, { exact: true }).fill("a new long password");
      await page.getByLabel(m.staffLogin.changePassword.confirm).fill("a different one entirely");
      await page.getByRole("button", { name: m.staffLogin.changePassword.submit }).click();
      await expect(page.getByText(m.staffLogin.errors.confirmMismatch).last()).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByLabel(m.staffLogin.changePassword.password, { exact: true }).fill("a new long password");
      await page.getByLabel(m.staffLogin.changePassword.confirm).fill("a new long password");
      await page.getByRole("button", { name: m.staffLogin.changePassword.submit }).click();

      // Enrolment: QR code and the key in text; a wrong code is refused, the right one shows the recovery codes.
      await expect(page).toHaveURL(/\/staff\/enrol$/);
      await expect(page.getByRole("img", { name: m.staffEnrol.qrLabel })).toBeVisible();
      const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByLabel(m.staffEnrol.code).fill("000000" === totpNow(secret) ? "111111" : "000000");
      await page.getByRole("button", { name: m.staffEnrol.submit }).click();
      await expect(page.getByText(m.staffEnrol.errors.wrong).last()).toBeVisible();
      const enrolCode = totpNow(secret);
      await page.getByLabel(m.staffEnrol.code).fill(enrolCode);
      await page.getByRole("button", { name: m.staffEnrol.submit }).click();
      const list = page.getByRole("list", { name: m.staffEnrol.recoveryList });
      await expect(list.getByRole("listitem")).toHaveCount(10);
      const recovery = await list.getByRole("listitem").allInnerTexts();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole("button", { name: m.staffEnrol.saved }).click();
      await expect(page).toHaveURL(/\/agent$/);
      await signOut(page, locale);

      // The code used at enrolment cannot be used again.
      await login.goto();
      await login.signIn(email, "a new long password");
      await expect(page).toHaveURL(/\/staff\/code$/);
      await login.enterCode(enrolCode);
      // (Still inside the ±1 step window, so it is refused as used, not as wrong.)
      await expect(login.errorSummary(login.totp.errorTitle)).toContainText(m.staffTotp.errors.reused);
      await expect(page).toHaveURL(/\/staff\/code$/);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // A recovery code signs in once.
      await login.enterCode(recovery[0]!);
      await expect(page).toHaveURL(/\/agent$/);
      await signOut(page, locale);
      await login.goto();
      await login.signIn(email, "a new long password");
      await login.enterCode(recovery[0]!);
      await expect(page.getByText(m.staffTotp.errors.wrong).last()).toBeVisible();
      await expect(page).toHaveURL(/\/staff\/code$/);
      await context.close();
    });
  }
});

async function signOut(page: Page, locale: Locale) {
  await page.getByRole("button", { name: messages[locale].staff.signOut }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
}
