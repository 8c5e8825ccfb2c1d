import type { Browser, Page } from "@playwright/test";
import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { expect, messages, seriousA11yViolations, test, type Locale } from "./fixtures";
import { staffDisplayName } from "../lib/auth/staff-name";
import { createOwner, DEMO_STORY, partnerKnobs, partnerStats, row, signIn, type TestOwner } from "./pages/owner-session";
import { StaffLoginPage } from "./pages/staff-login-page";

/**
 * Issue 14's story, end to end, in the built app: a platform keeps failing an unbind request until
 * the outbox's retries run out (the reference server's errorRate knob; the e2e server retries on a
 * 1/10,000 schedule, playwright.config.ts), the demo agent signs in with TOTP, finds the case in
 * the queue, turns the knob off and sends the request again, and the owner's batch page shows the
 * new attempt and its result. Then an owner asks for help, the agent replies, the SMS arrives in the
 * dev outbox and the owner reads the reply and answers; the agent reveals the number, and the demo
 * supervisor finds that reveal in the audit log. zh-CN on desktop, en on the phone.
 */

const agent = staffSeed.find((s) => s.role === "agent")!;
const supervisor = staffSeed.find((s) => s.role === "supervisor")!;
const PLATFORM = { slug: "linkup-chat", "zh-CN": "连信（沙盒）", en: "Linkup Chat (sandbox)" } as const;

// Ten delivery attempts on the shortened schedule, two TOTP sign-ins (a code may wait a step) and
// the accessibility checks of five pages.
test.describe.configure({ timeout: 300_000 });

/**
 * No serious accessibility violations, checked once the page has settled: after a server action
 * the refreshed page streams its metadata, so the title is waited for first.
 */
async function expectAccessible(page: Page) {
  await expect(page).toHaveTitle(/Reclaim$/);
  expect(await seriousA11yViolations(page)).toEqual([]);
}

/** Rich-text tags dropped, `{name}` values filled in. */
const shown = (message: string, values: Record<string, string | number> = {}) => message.replace(/<\/?\w+>/g, "").replace(/\{(\w+)\}/g, (_, n: string) => String(values[n]));

/** A browser of its own for each person (its own address, so per-address limits are its own). */
async function personPage(browser: Browser, locale: Locale, isPhone: boolean) {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    locale: locale === "en" ? "en-US" : "zh-CN",
    viewport: isPhone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    extraHTTPHeaders: { "x-forwarded-for": `10.232.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}` },
  });
  return context.newPage();
}

/** Signs a demo staff account in with its TOTP code and lands on the console. */
async function signInStaff(page: Page, locale: Locale, who: { email: string; password: string }) {
  const login = new StaffLoginPage(page, locale);
  await login.goto();
  await login.signInWithTotp(who.email, who.password, DEV_TOTP_SECRET, /\/agent$/);
}

/**
 * The queue's row of one case: it shows the number masked and the case's short reference (masked
 * numbers of two specs' owners can look alike; the reference cannot).
 */
function queueRow(page: Page, owner: TestOwner, caseId: string) {
  return page.getByRole("row").filter({ hasText: owner.masked }).filter({ hasText: `#${caseId.slice(0, 8)}` });
}

/** The id of the owner's case listed on their number page under `title`. */
async function ownerCaseId(page: Page, title: string): Promise<string> {
  await page.goto("/me");
  const link = page.getByTestId("owner-cases").getByRole("link", { name: title });
  await expect(link).toHaveCount(1);
  return /\/me\/cases\/([0-9a-f-]{36})$/.exec((await link.getAttribute("href")) ?? "")![1]!;
}

test("an agent works a failed unbind and an owner's request for help to the end; a supervisor sees the reveal in the audit log", async ({ browser, request }, testInfo) => {
  const isPhone = testInfo.project.name === "phone";
  const locale: Locale = isPhone ? "en" : "zh-CN";
  const m = messages[locale];
  const platformName = PLATFORM[locale];

  // The owner: a look-up that finds the platform, then one unbind request to it while it fails.
  const owner = await createOwner(request, DEMO_STORY);
  const ownerPage = await personPage(browser, locale, isPhone);
  await ownerPage.goto("/login");
  await signIn(ownerPage, request, owner, locale);
  await ownerPage.goto("/me/platforms");
  await ownerPage.getByRole("checkbox").check();
  await ownerPage.getByRole("button", { name: m.lookup.consent.submit }).click();
  await expect(row(ownerPage, platformName).getByRole("checkbox", { name: m.unbind.select })).toBeVisible({ timeout: 20_000 });
  for (const box of await ownerPage.getByRole("checkbox", { name: m.unbind.select }).all()) await box.uncheck();
  await row(ownerPage, platformName).getByRole("checkbox", { name: m.unbind.select }).check();
  await ownerPage.getByRole("button", { name: locale === "en" ? /^Ask 1 platform to unbind$/ : /^请 1 个平台解绑$/ }).click();
  await expect(ownerPage.getByRole("heading", { level: 1, name: m.unbind.checkTitle })).toBeVisible();
  await partnerKnobs(request, owner, PLATFORM.slug, { errorRate: 1 });
  await ownerPage.getByRole("button", { name: m.unbind.confirm }).click();
  await expect(ownerPage).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);
  const batchUrl = ownerPage.url();
  const item = ownerPage.getByTestId("batch-items").getByRole("listitem").filter({ hasText: platformName });
  // Every attempt answered 503 until the retries ran out: "not delivered", and customer service takes over.
  await expect(async () => {
    await ownerPage.reload();
    await expect(item).toContainText(m.unbind.status.failed, { timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  const failedAttempts = (await partnerStats(request, owner)).requests;
  expect(Object.values(failedAttempts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
  // The owner's number page lists the case customer service now has.
  const failedCase = await ownerCaseId(ownerPage, shown(m.ownerCases.kind.delivery_failed, { platform: platformName }));

  // The agent: TOTP sign-in, the queue filtered to undelivered requests, this owner's case.
  const agentPage = await personPage(browser, locale, isPhone);
  await signInStaff(agentPage, locale, agent);
  await agentPage.goto("/agent?kind=delivery_failed");
  const caseRow = queueRow(agentPage, owner, failedCase);
  await expect(caseRow).toHaveCount(1);
  await expect(caseRow).toContainText(platformName);
  await expectAccessible(agentPage);
  await caseRow.getByRole("link", { name: m.agentNumbers.cases.kindName.delivery_failed }).click();
  await expect(agentPage).toHaveURL(/\/agent\/cases\/[0-9a-f-]{36}$/);
  await expect(agentPage.getByRole("heading", { level: 1 })).toContainText(m.agentCase.kind.delivery_failed);
  // The number is masked until revealed.
  await expect(agentPage.getByTestId("case-number")).toHaveText(owner.masked);
  await agentPage.getByRole("button", { name: m.agentQueue.assignToMe }).click();
  await expect(agentPage.getByTestId("case-assignee")).toHaveText(staffDisplayName(agent.displayName, locale));
  await expectAccessible(agentPage);

  // The platform works again; the agent sends the request again, under the same requestId.
  await partnerKnobs(request, owner, PLATFORM.slug, {});
  await agentPage.getByRole("button", { name: shown(m.agentCase.batches.resendLabel, { platform: platformName }) }).click();
  // The item says when it went again (the form's own line may be gone as soon as the row moves on).
  const [sentBefore, sentAfter] = m.agentCase.batches.resentAt.split("{date}").map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
  await expect(agentPage.getByTestId("item-resent")).toHaveText(new RegExp(`^${sentBefore}.+${sentAfter}$`));
  await expect(agentPage.getByTestId("case-status")).toHaveText(m.agentCase.status.waiting_platform);

  // The owner's batch page: the new attempt, said in words, and then its result.
  await ownerPage.goto(batchUrl);
  await expect(ownerPage.getByTestId("resent-by-agent")).toBeVisible();
  await expect(async () => {
    await ownerPage.reload();
    await expect(item).toContainText(m.unbind.status.unbound, { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await expect(ownerPage.getByTestId("resent-by-agent")).toBeVisible();
  // The platform processed one request id: the re-send went under the original requestId.
  const processed = (await partnerStats(request, owner)).unbinds;
  expect(Object.keys(processed)).toHaveLength(1);
  await expectAccessible(ownerPage);

  // An owner asks for help from their number page.
  const helpText = locale === "en" ? "A debt collector keeps calling for the previous owner." : "一直有催收电话找前机主。";
  await ownerPage.goto("/me");
  const contact = ownerPage.getByRole("region", { name: m.ownerCases.contactTitle });
  await contact.getByRole("textbox", { name: m.ownerCases.messageLabel }).fill(helpText);
  await contact.getByRole("button", { name: m.ownerCases.send }).click();
  await expect(ownerPage.getByTestId("owner-cases").getByRole("listitem").filter({ hasText: m.ownerCases.kind.owner_help })).toBeVisible();
  const helpCase = await ownerCaseId(ownerPage, m.ownerCases.kind.owner_help);

  // The agent finds it in the queue, reads the owner's words on the case and replies, waiting for an answer.
  await agentPage.goto("/agent?kind=owner_help");
  await queueRow(agentPage, owner, helpCase).getByRole("link", { name: m.agentNumbers.cases.kindName.owner_help }).click();
  await expect(agentPage.getByText(helpText)).toBeVisible();
  const replyText = locale === "en" ? "We have asked the lender to stop; tell us if the calls go on." : "已联系该平台停止拨打，如仍有来电请告诉我们。";
  await agentPage.getByRole("textbox", { name: m.agentCase.reply.label }).fill(replyText);
  await agentPage.getByRole("checkbox", { name: m.agentCase.reply.wait }).check();
  await agentPage.getByRole("button", { name: m.agentCase.reply.submit }).click();
  await expect(agentPage.getByText(m.agentCase.done.reply)).toBeVisible();
  await expect(agentPage.getByTestId("case-status")).toHaveText(m.agentCase.status.waiting_owner);
  // The reveal, audited.
  await agentPage.getByRole("button", { name: m.agentCase.number.reveal }).click();
  await expect(agentPage.getByTestId("case-number")).not.toHaveText(owner.masked);
  await expect(agentPage.getByText(m.agentCase.number.revealedNote)).toBeVisible();
  await expectAccessible(agentPage);

  // The SMS: in the dev outbox, in the owner's language, saying there is a reply, never its words.
  await expect(async () => {
    const sms = await request.get(`/api/dev/sms?to=${encodeURIComponent(owner.number)}`);
    const { messages: sent } = (await sms.json()) as { messages: { body: string }[] };
    const notice = sent.find((s) => s.body.includes(locale === "en" ? "customer service replied" : "运营商客服回复了你的问题"));
    expect(notice, "the reply SMS").toBeDefined();
    expect(notice!.body).toMatch(/^【Reclaim】/);
    expect(notice!.body).toContain("/me");
    expect(notice!.body).not.toContain(replyText);
  }).toPass({ timeout: 30_000, intervals: [1_000] });

  // The owner reads the reply on the number page and answers on the case.
  await ownerPage.goto("/me");
  const listed = ownerPage.getByTestId("owner-cases").getByRole("listitem").filter({ hasText: m.ownerCases.kind.owner_help });
  await expect(listed.getByTestId("case-last-reply")).toContainText(replyText);
  await expect(listed).toContainText(m.ownerCases.status.waiting_owner);
  await expectAccessible(ownerPage);
  await listed.getByRole("link", { name: m.ownerCases.kind.owner_help }).click();
  await expect(ownerPage.getByText(replyText)).toBeVisible();
  await expect(ownerPage.getByRole("main")).toContainText(shown(m.ownerCases.entry.signature, { carrier: locale === "en" ? "China Mobile" : "中国移动" }));
  for (const name of agent.displayName.split(" / ")) await expect(ownerPage.getByRole("main")).not.toContainText(name);
  await ownerPage.getByRole("textbox", { name: m.ownerCases.answerLabel }).fill(locale === "en" ? "Thank you, it has stopped." : "谢谢，已经不打了。");
  await ownerPage.getByRole("button", { name: m.ownerCases.answerSend }).click();
  await expect(ownerPage.getByText(m.ownerCases.answered)).toBeVisible();
  await expectAccessible(ownerPage);
  // The answer takes the case out of "waiting for the owner".
  await agentPage.reload();
  await expect(agentPage.getByTestId("case-status")).toHaveText(m.agentCase.status.in_progress);

  // The supervisor sees the agent's reveal in their carrier's audit log.
  const supervisorPage = await personPage(browser, locale, isPhone);
  await signInStaff(supervisorPage, locale, supervisor);
  await supervisorPage.goto("/agent/audit?action=number.revealed");
  const audit = supervisorPage.getByRole("region", { name: m.agentAudit.tableLabel });
  await expect(audit.getByRole("row").filter({ hasText: m.agentAudit.actions.number.revealed }).filter({ hasText: staffDisplayName(agent.displayName, locale) }).first()).toBeVisible();
  await expectAccessible(supervisorPage);

  await Promise.all([ownerPage.context().close(), agentPage.context().close(), supervisorPage.context().close()]);
});
