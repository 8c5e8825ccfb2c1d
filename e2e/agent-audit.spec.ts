import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { StaffLoginPage } from "./pages/staff-login-page";

const supervisor = staffSeed.find((s) => s.role === "supervisor")!;
const agent = staffSeed.find((s) => s.role === "agent")!;

// The demo accounts' TOTP codes are single-use and shared (four supervisor sign-ins here alone): a
// sign-in may wait a step, and when three steps all went to others, one retry.
test.describe.configure({ timeout: 150_000, retries: 1 });

test.describe("the supervisor's audit log", () => {
  for (const locale of ["zh-CN", "en"] as const satisfies Locale[]) {
    test.describe(locale, () => {
      test.use({ locale: locale === "en" ? "en-US" : "zh-CN" });

      test(`the demo supervisor sees their carrier's entries, filters them in the URL, and bad filters are named, not applied (${locale})`, async ({ page }) => {
        const t = messages[locale].agentAudit;
        const login = new StaffLoginPage(page, locale);
        await login.goto();
        await login.signInWithTotp(supervisor.email, supervisor.password, DEV_TOTP_SECRET, /\/agent$/);

        await page.goto("/agent/audit");
        await expect(page.getByRole("heading", { level: 1, name: t.title })).toBeVisible();
        await expect(page).toHaveTitle(`${t.title} · Reclaim`);
        const table = page.getByRole("region", { name: t.tableLabel });
        // The supervisor's own sign-in is in their carrier's log, in words, with the request's address.
        // (Other specs' staff of the same carrier sign in side by side, so it need not be the newest row.)
        const signIn = table.getByRole("row").filter({ hasText: t.actions.staff.signed_in }).filter({ hasText: locale === "en" ? "Demo supervisor" : "演示客服主管" });
        await expect(signIn.first()).toBeVisible();
        // Never an owner's number: nothing shaped like a Chinese mobile number is on the page.
        expect(await page.getByRole("main").innerText()).not.toMatch(/1[3-9]\d{9}/);
        if (test.info().project.name === "phone") await expect(page.getByText(t.scrollHint)).toBeVisible();
        else await expect(page.getByText(t.scrollHint)).toBeHidden();
        expect(await seriousA11yViolations(page)).toEqual([]);

        // A filter applied through the form lands in the URL, and every row then matches it.
        await page.getByLabel(t.action, { exact: true }).fill("audit.viewed");
        await page.getByRole("button", { name: t.apply }).click();
        await expect(page).toHaveURL(/\/agent\/audit\?.*action=audit\.viewed/);
        await expect(page.getByLabel(t.action, { exact: true })).toHaveValue("audit.viewed");
        const rows = table.getByRole("row").filter({ has: page.getByRole("cell") });
        await expect(rows.first()).toContainText(t.actions.audit.viewed);
        for (const text of await rows.allInnerTexts()) expect(text).toContain(t.actions.audit.viewed);

        // Straight from the URL: a family and a day range; a nonsense date is named and what was typed kept.
        await page.goto("/agent/audit?action=staff&from=2026-02-30");
        await expect(page.getByRole("alert").filter({ hasText: t.problemsTitle })).toContainText(t.problems.from);
        await expect(page.getByLabel(t.from, { exact: true })).toHaveAttribute("aria-invalid", "true");
        await expect(page.getByLabel(t.action, { exact: true })).toHaveValue("staff");
        await expect(rows.first()).toContainText("staff.");
        expect(await seriousA11yViolations(page)).toEqual([]);

        // A day with nothing in it: the empty state.
        await page.goto("/agent/audit?from=2001-01-01&to=2001-01-02");
        await expect(table).toContainText(t.emptyFiltered);
        await page.getByRole("link", { name: t.clear }).click();
        await expect(page).toHaveURL(/\/agent\/audit$/);
      });
    });
  }

  test("an agent gets 'not for your account' (403), not the log", async ({ page }) => {
    const login = new StaffLoginPage(page, "zh-CN");
    await login.goto();
    await login.signInWithTotp(agent.email, agent.password, DEV_TOTP_SECRET, /\/agent$/);
    // A real 403 (the console has no loading boundary that would send a 200 before the page decides).
    expect((await page.goto("/agent/audit"))?.status()).toBe(403);
    await expect(page).toHaveURL(/\/agent\/audit$/);
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].notForYou.title })).toBeVisible();
    await expect(page).toHaveTitle(`${messages["zh-CN"].notForYou.title} · Reclaim`);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
