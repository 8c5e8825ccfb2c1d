import type { Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { createOwner, DEMO_STORY, partnerKnobs, partnerStats, resumeSession, signIn, type TestOwner } from "./pages/owner-session";

// One owner of this spec's own (the seed's demo story on a fresh number): the last test lists the
// reports the others sent, so they run in order.
// A story test has many steps and accessibility checks, and shares the cores with the other specs
// running beside it: a minute each, not the default 30 s.
test.describe.configure({ mode: "serial", timeout: 60_000 });
let owner: TestOwner;

const zh = messages["zh-CN"];
const en = messages.en;
/** The seed article's message, with a phone number and an amount the forwarded copy must not carry. */
const DEBT_SMS = "【易贷花】刘某某 因欠款逾期,我们工作人员已驱车前往您居住地，请于今日18点前联系 13812345678 处理欠款3,280.50元。";
/** A 1×1 PNG screenshot. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

async function reportStats(page: Page, who: TestOwner = owner) {
  return (await partnerStats(page.request, who)).reports as Record<string, { text: string; category: string; sender?: string }>;
}

/** A report page's "Who sent it" and "Handled by" lines. */
function parties(page: Page) {
  return { from: page.getByTestId("report-from"), handler: page.getByTestId("report-handler") };
}

/** The report form, by its labels in one language. */
function form(page: Page, m: typeof zh | typeof en) {
  return {
    text: page.getByLabel(m.reports.textLabel, { exact: true }),
    category: page.getByLabel(m.reports.categoryLabel, { exact: true }),
    platform: page.getByLabel(m.reports.platformLabel, { exact: true }),
    submit: page.getByRole("button", { name: m.reports.submit }),
    suggestion: page.getByTestId("report-suggestion"),
    channel: (name: string) => page.getByRole("group", { name: m.reports.channelLabel }).getByText(name, { exact: true }),
  };
}

test.describe("messages meant for someone else", () => {
  test.beforeAll(async ({ request }) => {
    owner = await createOwner(request, DEMO_STORY);
  });

  test("a debt-collection SMS for 刘某某: quick report with a screenshot, previewed and forwarded redacted, followed to resolved (zh-CN)", async ({ page, request }) => {
    // Slow enough answers that the "sent" banner can be seen before the report is over (then it goes).
    await partnerKnobs(request, owner, "easy-credit", { report: { delayMs: 1500 } });
    await signIn(page, request, owner, "zh-CN");
    await page.getByRole("link", { name: zh.me.tasks.report }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.reports.newTitle })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const f = form(page, zh);
    await f.text.fill(DEBT_SMS);
    // Suggested as the owner pastes: the category and the platform behind the 【signature】.
    await expect(f.suggestion).toHaveText("看起来是：催收。 来自：易贷花（沙盒）。");
    await expect(f.category).toHaveValue("debt_collection");
    await expect(f.platform.locator("option:checked")).toHaveText("易贷花（沙盒）");
    await page.getByText(zh.reports.moreDetails).click();
    await page.getByLabel(zh.reports.evidenceLabel).setInputFiles({ name: "截图.png", mimeType: "image/png", buffer: PNG });
    // Before sending: the text exactly as the platform will receive it.
    await page.getByText("查看易贷花（沙盒）将收到的内容").click();
    const previewed = (await page.getByTestId("report-preview-text").textContent())!;
    expect(previewed).toContain("刘**");
    expect(previewed).not.toMatch(/刘某某|13812345678|3,280\.50/);
    await expect(page.getByTestId("report-preview-sender")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await f.submit.click();

    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    await expect(page.getByRole("status").filter({ hasText: "举报已发送" })).toContainText("易贷花（沙盒）");
    await expect(page.getByRole("heading", { level: 1, name: zh.reports.category.debt_collection })).toBeVisible();
    // The platform acknowledges, then stops: the page follows on its own.
    await expect(page.getByTestId("report-status")).toHaveText(zh.reports.status.resolved, { timeout: 15_000 });
    await expect(page.getByText("易贷花（沙盒）表示已停止联系这个号码。")).toBeVisible();
    // Over: the "sent, the answer will appear here" banner is gone; who sent it and who handled it.
    await expect(page.getByRole("status").filter({ hasText: "举报已发送" })).toHaveCount(0);
    await expect(parties(page).from).toHaveText("易贷花（沙盒）");
    await expect(parties(page).handler).toHaveText("易贷花（沙盒）");
    await page.getByText(zh.reports.timeline, { exact: true }).click();
    await expect(page.getByTestId("report-timeline").getByRole("listitem")).toHaveCount(4);
    // The owner's own view shows the message as pasted, and the screenshot.
    await expect(page.getByText(DEBT_SMS)).toBeVisible();
    const shot = page.getByRole("img", { name: "截图 1" });
    await expect(shot).toBeVisible();
    expect(await shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    // The file is the owner's: without their session it is not served.
    const src = (await shot.getAttribute("src"))!;
    expect((await page.request.get(src)).headers()["cache-control"]).toBe("private, no-store");
    expect((await request.get(src)).status()).toBe(401);
    // The 12321 text is ready to copy, and redacted like everything that leaves the owner's view.
    const r12321 = page.getByTestId("report-12321-text");
    await expect(r12321).toContainText("刘**");
    await expect(r12321).not.toContainText("刘某某");
    await expect(r12321).not.toContainText("13812345678");
    await expect(page.getByRole("link", { name: zh.reports.guidance.sendSms })).toHaveAttribute("href", /^sms:12321\?&body=/);
    await expect(page.getByText("《民法典》第一千零三十三条", { exact: false })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // What the platform received: category and redacted text.
    const reportId = page.url().match(/reports\/([0-9a-f-]{36})/)![1]!;
    const received = (await reportStats(page))[reportId]!;
    expect(received.category).toBe("debt_collection");
    expect(received.text).toContain("刘**");
    expect(received.text).not.toMatch(/刘某某|13812345678|3,280\.50/);
    // Byte for byte what the preview showed.
    expect(received.text).toBe(previewed);
  });

  test("a ride-hailing driver's call and the previous owner asking for a code, each categorised and tracked (zh-CN)", async ({ page }) => {
    await resumeSession(page.context(), owner);
    await page.goto("/reports/new");
    let f = form(page, zh);
    await f.channel(zh.reports.channel.call).click();
    await f.text.fill("快行出行的司机打电话说已经到小区门口了，问刘先生什么时候下楼上车，我根本没叫车");
    await expect(f.category).toHaveValue("ride_delivery");
    await expect(f.platform.locator("option:checked")).toHaveText("快行出行（沙盒）");
    await f.submit.click();
    await expect(page.getByTestId("report-status")).toHaveText(zh.reports.status.resolved, { timeout: 15_000 });
    await expect(page.getByText(zh.reports.channel.call, { exact: true })).toBeVisible();

    await page.goto("/reports/new");
    f = form(page, zh);
    await f.text.fill("你好，我是这个号码的原机主，我微信换绑需要验证码，一会儿收到6位数验证码麻烦发给我，谢谢");
    await expect(f.category).toHaveValue("previous_owner");
    await expect(f.suggestion).toHaveText("看起来是：前机主联系我。");
    await f.submit.click();
    // No platform behind it: the carrier's agents take it up.
    await expect(page.getByRole("status")).toHaveText(zh.reports.sentNoSenderMessage);
    await expect(page.getByTestId("report-status")).toHaveText(zh.reports.status.agent_review);
    await expect(page.getByText(zh.reports.reasons.no_platform)).toBeVisible();
    // Not "sent by carrier customer service": the owner named no sender; the carrier handles it.
    await expect(parties(page).from).toHaveText(zh.reports.senderNotGiven);
    await expect(parties(page).handler).toHaveText(zh.reports.handledByCarrier);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("a street office's notice goes to the carrier's agents; a renamed .exe is refused with nothing lost; a repeat is merged (zh-CN)", async ({ page }) => {
    await resumeSession(page.context(), owner);
    await page.goto("/reports/new");
    const f = form(page, zh);
    const notice = "【幸福街道办事处】刘某某您好，请于12月5日前携带身份证到社区服务中心办理居住证签注，逾期将影响积分。";
    await f.text.fill(notice);
    await expect(f.category).toHaveValue("government_notice");
    await expect(f.platform).toHaveValue("");
    await page.getByLabel(zh.reports.companyLabel).fill("幸福街道办事处");
    await f.channel(zh.reports.channel.other).click();
    await page.getByText(zh.reports.moreDetails).click();
    await page.getByLabel(zh.reports.senderLabel, { exact: true }).fill("10690000123");
    // A Windows program renamed to .png: its bytes say what it is.
    await page.getByLabel(zh.reports.evidenceLabel).setInputFiles({ name: "通知.png", mimeType: "image/png", buffer: Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00"), Buffer.alloc(512, 0)]) });
    await f.submit.click();
    await expect(page.getByRole("alert", { name: zh.reports.errors.summary })).toContainText("“通知.png”不是 PNG、JPEG、WebP 或 HEIC 图片");
    await expect(f.text).toHaveValue(notice);
    // What the owner chose is still what the form shows (and sends).
    await expect(page.getByRole("radio", { name: zh.reports.channel.other })).toBeChecked();
    await expect(f.category).toHaveValue("government_notice");
    await expect(page.getByLabel(zh.reports.companyLabel)).toHaveValue("幸福街道办事处");
    await expect(page.getByLabel(zh.reports.senderLabel, { exact: true })).toHaveValue("10690000123");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel(zh.reports.evidenceLabel).setInputFiles([]);
    await f.submit.click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    await expect(page.getByRole("status")).toHaveText("举报已收到。幸福街道办事处不是参与平台，将由运营商客服跟进。");
    await expect(page.getByRole("heading", { level: 1, name: zh.reports.category.government_notice })).toBeVisible();
    await expect(page.getByTestId("report-status")).toHaveText(zh.reports.status.agent_review);
    await expect(parties(page).from).toHaveText("幸福街道办事处");
    await expect(parties(page).handler).toHaveText(zh.reports.handledByCarrier);
    await expect(page.getByText("10690000123", { exact: true })).toBeVisible();
    const reportId = page.url().match(/reports\/([0-9a-f-]{36})/)![1]!;

    // The same notice again, while the first report is open, is merged into it, not filed twice.
    await page.goto("/reports/new");
    await form(page, zh).text.fill(notice);
    await form(page, zh).channel(zh.reports.channel.other).click();
    await page.getByLabel(zh.reports.companyLabel).fill("幸福街道办事处");
    await page.getByText(zh.reports.moreDetails).click();
    await page.getByLabel(zh.reports.senderLabel, { exact: true }).fill("10690000123");
    await form(page, zh).submit.click();
    await expect(page).toHaveURL(new RegExp(`/reports/${reportId}\\?merged=1$`));
    await expect(page.getByRole("status")).toHaveText(zh.reports.mergedMessage);
  });

  test("in English at phone size: report the previous owner's call and see every report in My reports", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, owner);
    await page.goto("/reports/new");
    await expect(page.getByRole("heading", { level: 1, name: en.reports.newTitle })).toBeVisible();
    const f = form(page, en);
    await f.channel(en.reports.channel.call).click();
    await f.text.fill("A man called saying he used to own this number and asked me to send him the verification code for his bank app");
    await expect(f.suggestion).toHaveText("Looks like: The previous owner contacting me.");
    await expect(f.category).toHaveValue("previous_owner");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // An empty text is refused with a translated message, and nothing else is lost.
    await f.text.fill("");
    await f.submit.click();
    await expect(page.getByRole("alert", { name: en.reports.errors.summary })).toContainText(en.reports.errors.textRequired);
    await f.text.fill("Caller said he is the previous owner and needs the code sent to this number for his bank app.");
    await f.submit.click();
    await expect(page.getByTestId("report-status")).toHaveText(en.reports.status.agent_review);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto("/reports");
    await expect(page.getByRole("heading", { level: 1, name: en.reports.listTitle })).toBeVisible();
    const items = page.getByRole("listitem");
    await expect(items).toHaveCount(5);
    await expect(items.filter({ hasText: en.reports.category.debt_collection })).toContainText(en.reports.statusShort.resolved);
    await expect(items.filter({ hasText: en.reports.category.government_notice })).toContainText("reported 1 more time");
    await expect(items.filter({ hasText: en.reports.category.ride_delivery })).toContainText("From: Swift Ride (sandbox) · Handled by: Swift Ride (sandbox)");
    await expect(items.filter({ hasText: en.reports.category.government_notice })).toContainText(en.reports.statusShort.agent_review);
    await expect(items.filter({ hasText: en.reports.category.government_notice })).toContainText("From: 幸福街道办事处 · Handled by: Carrier customer service");
    await expect(items.filter({ hasText: en.reports.category.previous_owner }).first()).toContainText("From: Not given · Handled by: Carrier customer service");
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});

test.describe("after a report: closed, it happened again, and errors that go once fixed", () => {
  let other: TestOwner;
  const NOTICE = "【幸福街道办事处】刘某某您好，请于12月5日前到社区服务中心办理居住证签注。";

  test.beforeAll(async ({ request }) => {
    other = await createOwner(request, DEMO_STORY);
  });

  test("a closed report shows only that it is closed, and 'it happened again' files a linked report, prefilled (en, desktop)", async ({ browser, request }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, request, other, "en");
    await page.goto("/reports/new");
    const f = form(page, en);
    await f.text.fill(NOTICE);
    await f.channel(en.reports.channel.other).click();
    await page.getByLabel(en.reports.companyLabel).fill("幸福街道办事处");
    await page.getByText(en.reports.moreDetails).click();
    await page.getByLabel(en.reports.senderLabel, { exact: true }).fill("10690000123");
    // No participating platform: nothing is forwarded, so there is no platform preview.
    await expect(page.getByTestId("report-preview")).toHaveCount(0);
    await f.submit.click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    const originalUrl = new URL(page.url()).pathname;
    await expect(page.getByRole("status")).toHaveText(/^Report received\./);

    await page.getByRole("button", { name: en.reports.close }).click();
    await expect(page).toHaveURL(/\?closed=1$/);
    await expect(page.getByTestId("report-status")).toHaveText(en.reports.status.closed);
    // Only what is true now: closed, not "received".
    await expect(page.getByRole("status")).toHaveText(en.reports.closedMessage);
    await expect(page.getByText(/Report received/)).toHaveCount(0);
    await expect(page.getByRole("button", { name: en.reports.close })).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // It happened again: a new report linked to this one, who sent it and how filled in.
    await expect(page.getByRole("heading", { name: en.reports.againTitle })).toBeVisible();
    await page.getByRole("link", { name: en.reports.againLink }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.reports.againNewTitle })).toBeVisible();
    await expect(page.getByTestId("report-again-intro")).toContainText(en.reports.category.government_notice);
    await expect(page.getByLabel(en.reports.companyLabel)).toHaveValue("幸福街道办事处");
    await expect(page.getByLabel(en.reports.senderLabel, { exact: true })).toHaveValue("10690000123");
    await expect(page.getByRole("radio", { name: en.reports.channel.other })).toBeChecked();
    await expect(f.category).toHaveValue("government_notice");
    await expect(f.text).toHaveValue("");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await f.text.fill("【幸福街道办事处】刘某某您好，居住证签注今天截止，请尽快办理。");
    await f.submit.click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    const againUrl = new URL(page.url()).pathname;
    expect(againUrl).not.toBe(originalUrl);
    await expect(page.getByTestId("report-repeat-of")).toContainText("This happened again after the message you received on");
    await expect(parties(page).from).toHaveText("幸福街道办事处");
    await expect(parties(page).handler).toHaveText(en.reports.handledByCarrier);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The link is on both reports.
    await page.getByRole("link", { name: en.reports.againOriginalLink }).click();
    await expect(page).toHaveURL(new RegExp(`${originalUrl}$`));
    await page.getByTestId("report-repeats").getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`${againUrl}$`));
    await page.goto("/reports");
    await expect(page.getByRole("listitem").filter({ hasText: en.reports.listRepeat })).toHaveCount(1);
    await context.close();
  });

  test("errors go as soon as they are fixed, and the preview follows the text, at phone size (zh-CN)", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, other);
    await page.goto("/reports/new");
    const f = form(page, zh);
    const summary = page.getByRole("alert", { name: zh.reports.errors.summary });
    const long = `【易贷花】刘某某您好，您的欠款已逾期，请联系 13812345678。${"请尽快处理。".repeat(340)}`;
    expect(long.length).toBeGreaterThan(2000);
    await f.text.fill(long);
    await f.submit.click();
    await expect(summary).toContainText(zh.reports.errors.textTooLong);
    await expect(page.getByText(zh.reports.errors.textTooLong)).toHaveCount(2);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Shortened: the error and the summary go while the owner is still in the field.
    await f.text.fill(long.slice(0, 2000));
    await expect(page.getByText(zh.reports.errors.textTooLong)).toHaveCount(0);
    await expect(summary).toHaveCount(0);
    await expect(f.text).toBeFocused();
    // Emptied again: the message changes to what is wrong now, without taking the focus.
    await f.text.fill("");
    await expect(page.getByText(zh.reports.errors.textRequired)).toHaveCount(2);
    await expect(f.text).toBeFocused();

    // The preview follows the text as it is typed: masked as the platform will get it.
    await f.text.fill("【易贷花】尊敬的刘伟先生，您的借款已逾期，请联系 13812345678。");
    await expect(page.getByText(zh.reports.errors.textRequired)).toHaveCount(0);
    await page.getByText(zh.reports.moreDetails).click();
    await page.getByLabel(zh.reports.senderLabel, { exact: true }).fill("13912345678");
    await page.getByText("查看易贷花（沙盒）将收到的内容").click();
    await expect(page.getByTestId("report-preview-text")).toHaveText("【易贷花】尊敬的刘*先生，您的借款已逾期，请联系 138******78。");
    await expect(page.getByTestId("report-preview-sender")).toHaveText("139******78");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await f.submit.click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    const reportId = page.url().match(/reports\/([0-9a-f-]{36})/)![1]!;
    await expect.poll(async () => (await reportStats(page, other))[reportId]?.text).toBe("【易贷花】尊敬的刘*先生，您的借款已逾期，请联系 138******78。");
    expect((await reportStats(page, other))[reportId]!.sender).toBe("139******78");
    await context.close();
  });
});
