import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { advanceServerClock, createOwner, DEMO_STORY } from "./pages/owner-session";
import { latestCode, OwnerSignIn } from "./pages/owner-sign-in";

// Each test signs in with a number of its own, from an address of its own, and moves only its own
// browser's clock: they run side by side.
// Several steps and accessibility checks each, beside the other specs: a minute, not the default 30 s.
test.describe.configure({ timeout: 60_000 });

const zh = messages["zh-CN"];
const en = messages.en;

test.describe("owner sign-in by SMS code", () => {
  test("a new owner confirms their number and lands on the number page (zh-CN)", async ({ page, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    await page.goto("/");
    await page.getByRole("link", { name: zh.landing.ctaStart }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.login.title })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const signIn = new OwnerSignIn(page);
    await signIn.enterNumber(owner.typed);
    await expect(page).toHaveURL(/\/login\/verify$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.verify.title })).toBeVisible();
    // The code step shows the whole number just typed (so a typo can be seen) and a way to change it.
    const national = owner.number.slice(3);
    await expect(page.getByText(`${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`, { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: zh.verify.wrongNumber })).toHaveAttribute("href", "/login");
    await expect(signIn.codeField()).toHaveAttribute("autocomplete", "one-time-code");
    await expect(signIn.codeField()).toHaveAttribute("inputmode", "numeric");
    // The resend button counts down from 60 seconds.
    await expect(page.getByRole("button", { name: zh.verify.resend })).toBeDisabled();
    await expect(page.getByText(/\d+ 秒后可以重新发送/)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const { code, body } = await latestCode(request, owner.number);
    expect(body).toMatch(/^【Reclaim】验证码 \d{6}，10 分钟内有效。如非本人操作请忽略。/);
    expect(body).toMatch(new RegExp(`@127\\.0\\.0\\.1 #${code}$`));
    // Pasted with spaces, as people do.
    await signIn.enterCode(`${code.slice(0, 3)} ${code.slice(3)}`);

    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.me.title })).toBeVisible();
    await expect(page.getByText(owner.masked)).toBeVisible();
    await expect(page.getByText("中国移动", { exact: true })).toBeVisible();
    await expect(page.getByText("2026年3月15日（运营商记录）")).toBeVisible();
    await expect(page.getByText(zh.me.tasks.check)).toBeVisible();
    await expect(page.getByText(owner.number)).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Every page request renews the session cookie: the 30-minute limit is an idle limit.
    const renewed = await page.request.get("/me");
    expect(renewed.headers()["set-cookie"] ?? "").toMatch(/authjs\.session-token=/);

    // A copy of the session cookie taken before signing out…
    const copied = await page.context().cookies();
    // Signing out from the menu asks first (e2e/owner-nav.spec.ts covers the step itself).
    await page.getByRole("navigation", { name: zh.nav.ownerMenu }).getByRole("link", { name: zh.nav.signOut }).click();
    await page.getByRole("button", { name: zh.sessions.confirmSignOut, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.signedOut.title })).toBeVisible();
    await page.goto("/me");
    await expect(page).toHaveURL(/\/login$/);
    // …opens nothing once the session has ended: sign-out is kept on the server, not only in the browser.
    const thief = await page.context().browser()!.newContext();
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    await stolen.goto("/me");
    await expect(stolen).toHaveURL(/\/login$/);
    await thief.close();
  });

  test("bad numbers get clear errors beside the field, the typed number is kept, and no SMS is sent", async ({ page, request }) => {
    const signIn = new OwnerSignIn(page);
    await signIn.enterNumber("", { agree: false });
    await expect(signIn.errorSummary()).toBeFocused();
    await expect(signIn.errorSummary()).toContainText(zh.login.errors.number);
    await expect(signIn.errorSummary()).toContainText(zh.login.errors.terms);
    // Only the countries SMS goes to are offered (mainland China unless OTP_ALLOWED_COUNTRIES adds more).
    await expect(page.getByLabel(zh.login.country).locator("option")).toHaveText(["中国 +86"]);

    await signIn.enterNumber("12345");
    await expect(page.getByText(zh.login.errors.invalidNumber).first()).toBeVisible();
    await expect(page.getByLabel(zh.login.number)).toHaveValue("12345");
    await expect(page.getByLabel(zh.login.number)).toHaveAttribute("aria-invalid", "true");

    await signIn.enterNumber("+44 7911 123456");
    await expect(page.getByText(zh.login.errors.countryNotServed).first()).toBeVisible();
    await expect(page.getByLabel(zh.login.number)).toHaveValue("+44 7911 123456");
    expect((await latestCode(request, "+447911123456")).count).toBe(0);

    await signIn.enterNumber("010 6552 9988");
    await expect(page.getByText(zh.login.errors.notMobile).first()).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("a wrong code says how many tries are left; an expired code says so; a resend replaces the code", async ({ page, request }) => {
    const owner = await createOwner(request, { carrier: "cucc", tenures: [{ startedAt: "2024-09-02T09:00:00+08:00" }] });
    await page.clock.install();
    const signIn = new OwnerSignIn(page);
    await signIn.enterNumber(owner.typed);
    await expect(page).toHaveURL(/\/login\/verify$/);
    const first = await latestCode(request, owner.number);
    const wrong = first.code === "000000" ? "111111" : "000000";

    await signIn.enterCode(wrong);
    await expect(signIn.errorSummary()).toContainText("验证码不正确，还可以再试 4 次。");
    await expect(signIn.codeField()).toHaveAttribute("aria-invalid", "true");
    await signIn.enterCode(wrong);
    await expect(signIn.errorSummary()).toContainText("还可以再试 3 次");

    // Eleven minutes later (for this browser only) the code has expired.
    await advanceServerClock(page, 11 * 60_000);
    await signIn.enterCode(first.code);
    await expect(signIn.errorSummary()).toContainText(zh.verify.errors.expired);

    // The countdown ends on the browser's clock; the server's gap has passed on its own.
    await page.clock.fastForward(61_000);
    const resend = page.getByRole("button", { name: zh.verify.resend });
    await expect(resend).toBeEnabled();
    await resend.click();
    await expect(page.getByText(zh.verify.resent)).toBeVisible();
    await expect(resend).toBeDisabled();
    const second = await latestCode(request, owner.number);
    expect(second.count).toBe(2);

    await signIn.enterCode(second.code);
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByText(owner.masked)).toBeVisible();
  });

  test("an owner with no carrier record declares when they got the number", async ({ page, request }) => {
    // A China Mobile number (by its prefix) that no carrier record covers.
    const owner = await createOwner(request, { carrier: "cmcc" });
    const signIn = new OwnerSignIn(page);
    await signIn.enterNumber(owner.typed.replaceAll(" ", ""));
    // Read the code only once it has been sent.
    await expect(page).toHaveURL(/\/login\/verify$/);
    await signIn.enterCode((await latestCode(request, owner.number)).code);
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByText(zh.me.notOnRecord)).toBeVisible();
    await expect(page.getByText("中国移动", { exact: true })).toBeVisible();

    await page.getByLabel(zh.me.declareLabel).fill("2099-01-01");
    await page.getByRole("button", { name: zh.me.declareSubmit }).click();
    // The same error summary as every other form, and the message beside the field.
    await expect(signIn.errorSummary()).toBeFocused();
    await expect(signIn.errorSummary()).toContainText(zh.me.declareErrors.future);
    await expect(page.getByLabel(zh.me.declareLabel)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(zh.me.declareLabel)).toHaveValue("2099-01-01");

    await page.getByLabel(zh.me.declareLabel).fill("2025-05-01");
    await page.getByRole("button", { name: zh.me.declareSubmit }).click();
    await expect(page.getByText("2025年5月1日（你自己申报的，等待运营商客服确认）")).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("signs in on a phone-sized screen in English", async ({ browser, request }) => {
    // Re-issued three weeks ago, with a SIM change two days ago.
    const owner = await createOwner(request, { carrier: "ctcc", tenures: [{ startedAt: "2026-11-06T14:00:00+08:00", simChangedAt: "2026-11-26T20:15:00+08:00" }] });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const signIn = new OwnerSignIn(page, "en");
    await signIn.enterNumber(`+86 ${owner.typed}`);
    await expect(page.getByRole("heading", { level: 1, name: en.verify.title })).toBeVisible();
    await expect(page.getByText(/You can ask for a new code in \d+ seconds/)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const { code, body } = await latestCode(context.request, owner.number);
    expect(body).toMatch(/^【Reclaim】Your verification code is \d{6}\. It is valid for 10 minutes\./);

    await signIn.enterCode("12345");
    await expect(signIn.errorSummary()).toContainText(en.verify.errors.format);
    await signIn.enterCode(code);
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { level: 1, name: en.me.title })).toBeVisible();
    await expect(page.getByText("China Telecom", { exact: true })).toBeVisible();
    await expect(page.getByText(/November 6, 2026 \(carrier record\)/)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  test("a deep link survives sign-in: the owner comes back to the page they asked for (zh-CN)", async ({ page, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    await page.goto("/reports/new?from=sms");
    // Sent to sign in, carrying the page (escaped) through the number step…
    await expect(page).toHaveURL(/\/login\?next=%2Freports%2Fnew%3Ffrom%3Dsms$/);
    const signIn = new OwnerSignIn(page);
    await page.getByLabel(zh.login.number).fill(owner.typed);
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.login.submit }).click();
    // …and the code step, whose "change number" link keeps it too…
    await expect(page).toHaveURL(/\/login\/verify\?next=%2Freports%2Fnew%3Ffrom%3Dsms$/);
    await expect(page.getByRole("link", { name: zh.verify.wrongNumber })).toHaveAttribute("href", "/login?next=%2Freports%2Fnew%3Ffrom%3Dsms");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // …even past a wrong code.
    const { code } = await latestCode(request, owner.number);
    await signIn.enterCode(code === "000000" ? "111111" : "000000");
    await expect(signIn.errorSummary()).toBeVisible();
    await signIn.enterCode(code);
    await expect(page).toHaveURL(/\/reports\/new\?from=sms$/);
    await expect(page.getByRole("heading", { level: 1, name: zh.reports.newTitle })).toBeVisible();
  });

  test("a next address off this site is ignored: the owner lands on their number page (en)", async ({ browser, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const signIn = new OwnerSignIn(page, "en");
    for (const next of ["//evil.example/me", "https://evil.example/", "/%5Cevil.example", "/\tevil.example"]) {
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      await expect(page.locator('input[name="next"]')).toHaveCount(0);
    }
    await page.getByLabel(en.login.number).fill(owner.typed);
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: en.login.submit }).click();
    await expect(page).toHaveURL(/\/login\/verify$/);
    // A hand-made code-step address is checked again there.
    await page.goto(`/login/verify?next=${encodeURIComponent("//evil.example")}`);
    await expect(page.locator('input[name="next"]')).toHaveCount(0);
    await signIn.enterCode((await latestCode(context.request, owner.number)).code);
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { level: 1, name: en.me.title })).toBeVisible();
    await context.close();
  });
});
