import type { Browser, Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { createOwner, DEMO_STORY, signIn } from "./pages/owner-session";

// Each test makes its own owner and browser: they run side by side with the other specs.
test.describe.configure({ timeout: 90_000 });

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

async function browserFor(browser: Browser, locale: Locale, size: keyof typeof SIZES) {
  const context = await browser.newContext({ locale: locale === "en" ? "en-US" : "zh-CN", viewport: SIZES[size], ...(size === "phone" ? { isMobile: true, hasTouch: true } : {}) });
  return { context, page: await context.newPage() };
}

/** The "contact customer service" section of the number page. */
const contact = (page: Page, m: (typeof messages)[Locale]) => page.getByRole("region", { name: m.ownerCases.contactTitle });

for (const [locale, size] of [
  ["zh-CN", "phone"],
  ["en", "desktop"],
] as const) {
  const m = messages[locale];
  test(`an owner contacts customer service, finds the case listed and answers on its page (${locale}, ${size})`, async ({ browser, request }) => {
    const owner = await createOwner(request, DEMO_STORY);
    const { context, page } = await browserFor(browser, locale, size);
    await signIn(page, request, owner, locale);
    await expect(page.getByRole("heading", { level: 2, name: m.ownerCases.contactTitle })).toBeVisible();
    await expect(page.getByText(m.ownerCases.listEmpty)).toBeVisible();

    // Sent empty: the summary takes focus, the message is beside the field, nothing is opened.
    const section = contact(page, m);
    const field = section.getByRole("textbox", { name: m.ownerCases.messageLabel });
    await field.fill("   ");
    await section.getByRole("button", { name: m.ownerCases.send }).click();
    const summary = section.getByRole("alert").filter({ hasText: m.ownerCases.errorSummary });
    await expect(summary).toBeFocused();
    await expect(section.getByText(m.ownerCases.errors.empty).first()).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveValue("   ");
    await expect(page.getByText(m.ownerCases.listEmpty)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const words = locale === "en" ? "Debt collectors keep texting me about the previous owner's loan." : "一直收到催收短信，说的是前机主的欠款，怎么办？";
    await field.fill(words);
    // "23 of 1,000 characters" / "23/1000 字": counted as typed.
    await expect(section.getByText(new RegExp(`^${words.length}\\D+1,?000`))).toBeVisible();
    await section.getByRole("button", { name: m.ownerCases.send }).click();
    const sent = section.getByTestId("case-message-sent");
    await expect(sent).toContainText(m.ownerCases.sent.replace("{hours}", "48"));
    await expect(field).toHaveValue("");

    // Listed under "your cases", with its status in words.
    const list = page.getByTestId("owner-cases");
    const item = list.getByRole("listitem").filter({ hasText: m.ownerCases.kind.owner_help });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(m.ownerCases.status.open);
    expect(await seriousA11yViolations(page)).toEqual([]);
    if (size === "phone") await page.screenshot({ path: test.info().outputPath("owner-cases-phone.png"), fullPage: true });

    // A second message joins the open request rather than opening another.
    await field.fill(locale === "en" ? "It is the Easy Credit app." : "是易贷花发来的。");
    await section.getByRole("button", { name: m.ownerCases.send }).click();
    await expect(sent).toContainText(m.ownerCases.joined);
    await expect(list.getByRole("listitem")).toHaveCount(1);

    await item.getByRole("link", { name: m.ownerCases.kind.owner_help }).click();
    await expect(page).toHaveURL(/\/me\/cases\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1, name: m.ownerCases.kind.owner_help })).toBeVisible();
    const timeline = page.getByTestId("case-timeline");
    await expect(timeline).toContainText(words);
    await expect(timeline.getByText(m.ownerCases.entry.you)).toHaveCount(2);

    // Answer on the case page; an empty answer keeps the form.
    const answer = page.getByRole("textbox", { name: m.ownerCases.answerLabel });
    await page.getByRole("button", { name: m.ownerCases.answerSend }).click();
    await expect(page.getByRole("alert").filter({ hasText: m.ownerCases.errorSummary })).toBeFocused();
    await expect(answer).toBeVisible();
    const reply = locale === "en" ? "They called again this morning." : "今天早上又打来了。";
    await answer.fill(reply);
    await page.getByRole("button", { name: m.ownerCases.answerSend }).click();
    await expect(page.getByTestId("case-message-sent")).toContainText(m.ownerCases.answered);
    await expect(timeline).toContainText(reply);
    expect(await seriousA11yViolations(page)).toEqual([]);
    if (size === "phone") await page.screenshot({ path: test.info().outputPath("owner-case-page-phone.png"), fullPage: true });

    // Someone else's (or no) case id is simply not found.
    const missing = await page.goto(`/me/cases/${crypto.randomUUID()}`);
    expect(missing?.status()).toBe(404);
    await context.close();
  });
}
