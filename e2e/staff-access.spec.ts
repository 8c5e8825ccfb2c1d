import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { createOwner, DEMO_STORY, signIn } from "./pages/owner-session";

// Needs no staff sign-in (which gains a second factor): owners and anonymous visitors at the
// staff areas. The staff-role cells of docs/access.md are checked by lib/auth/access.test.ts.
test.describe.configure({ timeout: 90_000 });

test.describe("the staff areas for visitors they are not for", () => {
  test("anonymous visitors are sent to the staff sign-in", async ({ page }) => {
    for (const path of ["/agent", "/regulator"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/staff\/login$/);
    }
    await expect(page.getByRole("heading", { level: 1, name: messages["zh-CN"].staffLogin.title })).toBeVisible();
  });

  for (const locale of ["zh-CN", "en"] as const satisfies Locale[]) {
    test.describe(locale, () => {
    test.use({ locale: locale === "en" ? "en-US" : "zh-CN" });
    test(`an owner who opens them gets 'not for your account' (403), saying who is signed in, with the ways on (${locale})`, async ({ page, request }) => {
      const t = messages[locale].notForYou;
      const owner = await createOwner(request, DEMO_STORY);
      await signIn(page, request, owner, locale);

      for (const [path, area] of [["/agent", "agent"], ["/regulator", "regulator"]] as const) {
        const response = await page.goto(path);
        expect(response?.status()).toBe(403);
        // Not a redirect: the address stays what the owner opened.
        await expect(page).toHaveURL(new RegExp(`${path}$`));
        await expect(page.getByRole("heading", { level: 1, name: t.title })).toBeVisible();
        // The tab says so too, not the console's own title (areaMetadata in components/not-for-you.tsx).
        await expect(page).toHaveTitle(`${t.title} · Reclaim`);
        const forArea = area === "agent" ? /carrier customer service|运营商客服/ : /regulators|监管部门/;
        await expect(page.getByRole("main")).toContainText(forArea);
        await expect(page.getByRole("main")).toContainText(owner.masked);
        const main = page.getByRole("main");
        await expect(main.getByRole("link", { name: t.goToMyNumber })).toHaveAttribute("href", "/me");
        await expect(main.getByRole("link", { name: t.signOut })).toHaveAttribute("href", "/sign-out");
        await expect(main.getByRole("link", { name: t.home })).toHaveAttribute("href", "/");
        expect(await seriousA11yViolations(page)).toEqual([]);
      }

      await page.getByRole("main").getByRole("link", { name: t.goToMyNumber }).click();
      await expect(page).toHaveURL(/\/me$/);
    });
    });
  }
});
