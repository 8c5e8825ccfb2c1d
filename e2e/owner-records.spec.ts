import type { Page } from "@playwright/test";
import { expect, messages, seriousA11yViolations, test } from "./fixtures";
import { createOwner, DEMO_STORY, partnerKnobs, resumeSession, row, signIn, type TestOwner } from "./pages/owner-session";

// One owner of this spec's own sends a batch and a report; the later tests open their records in
// English and as another owner, so they run in order. A story test waits for six platforms and a
// report to be answered, beside the other specs on two cores: two minutes, not the default 30 s.
test.describe.configure({ mode: "serial", timeout: 120_000 });
let owner: TestOwner;
let batchRecord: string;
let reportRecord: string;

const zh = messages["zh-CN"];
const en = messages.en;
/** The seed article's message: a name, a phone number and an amount that no record may carry. */
const DEBT_SMS = "【易贷花】刘某某 因欠款逾期,我们工作人员已驱车前往您居住地，请于今日18点前联系 13812345678 处理欠款3,280.50元。";
const INSTRUCTIONS = "打开城市通 App，在「设置 › 手机号」中确认更换。";

/** Pages in a PDF, counted from its page objects (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}

/** On paper: the record without the site's header, footer, buttons and the way back. */
async function checkPrint(page: Page, m: typeof zh | typeof en, title: string, shot: string) {
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("record-reference")).toBeVisible();
  await expect(page.locator("body > header")).toBeHidden();
  await expect(page.locator("body > footer")).toBeHidden();
  await expect(page.getByText(m.nav.sandbox)).toBeHidden();
  await expect(page.getByRole("button", { name: m.record.print })).toBeHidden();
  await expect(page.getByText(m.record.printHint)).toBeHidden();
  await expect(page.getByRole("heading", { name: m.record.useTitle })).toBeVisible();
  // The one link out keeps its address in words on paper.
  await expect(page.getByRole("link", { name: "www.12321.cn" })).toBeVisible();
  if (process.env.RECORD_SHOTS) await page.screenshot({ path: `${process.env.RECORD_SHOTS}/${shot}-print.png`, fullPage: true });
  // Chromium's own PDF (what "Save as PDF" makes), with the print rules still on: A4, a sensible
  // number of pages (six platforms' answers fill three or four; no page is spent per platform).
  const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
  await page.emulateMedia({ media: null });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = pdfPages(pdf);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(5);
  if (process.env.RECORD_SHOTS) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${process.env.RECORD_SHOTS}/${shot}.pdf`, pdf);
  }
}

/** Nothing of the previous owner's, and never the owner's whole number. */
async function checkNothingLeaks(page: Page) {
  const text = await page.locator("main").innerText();
  for (const secret of ["刘某某", "13812345678", "3,280.50", owner.number, owner.number.slice(3), owner.typed]) expect(text).not.toContain(secret);
  expect(text).toContain(owner.masked);
}

test.describe("a record to take elsewhere", () => {
  test.beforeAll(async ({ request }) => {
    owner = await createOwner(request, DEMO_STORY);
  });

  test("an unbind batch and a report each have a printable record with every answer, masked (zh-CN)", async ({ page, request }) => {
    await partnerKnobs(request, owner, "swift-ride", { unbind: { outcome: "scheduled", noticeDays: 7, delayMs: 300 } });
    await partnerKnobs(request, owner, "daily-mall", { unbind: { outcome: "rejected", reason: "account_in_use", delayMs: 300 } });
    await partnerKnobs(request, owner, "city-services", { unbind: { outcome: "needs_owner_action", instructions: INSTRUCTIONS, delayMs: 300 } });
    await signIn(page, request, owner, "zh-CN");
    await page.goto("/me/platforms");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh.lookup.consent.submit }).click();
    await expect(page.getByTestId("lookup-progress")).toHaveText("有 6 个平台仍把你的号码绑定在前机主的账号上。");
    await page.getByRole("button", { name: "请 6 个平台解绑" }).click();
    await page.getByRole("button", { name: zh.unbind.confirm }).click();
    await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("batch-progress")).toHaveText(zh.unbind.complete, { timeout: 30_000 });

    await page.getByRole("link", { name: zh.record.link }).click();
    await expect(page).toHaveURL(/\/unbind\/[0-9a-f-]{36}\/record$/);
    batchRecord = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1, name: zh.record.unbindTitle })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(zh.record.unbindTitle));
    await expect(page.getByTestId("record-reference")).toHaveText(/^UB-[0-9A-F]{4}-[0-9A-F]{4}$/);
    await expect(page.getByTestId("record-number")).toHaveText(owner.masked);
    await expect(page.getByText(`（${zh.tenureSource.carrier_record}）`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "收到申请的平台（6 个）" })).toBeVisible();
    // Every platform's answers, oldest first, with their words.
    const linkup = row(page, "连信（沙盒）");
    await expect(linkup.getByTestId("record-item-status")).toHaveText(zh.unbind.status.unbound);
    await expect(linkup.getByRole("row")).toHaveText([/日期和时间/, new RegExp(zh.record.unbindEvent.queued), new RegExp(zh.record.unbindEvent.sent), new RegExp(zh.record.unbindEvent.accepted), new RegExp(zh.record.unbindEvent.unbound)]);
    await expect(linkup).toContainText(zh.record.attemptsValue.match(/=1 \{([^}]+)\}/)![1]!);
    await expect(row(page, "每日商城（沙盒）")).toContainText(zh.unbind.reasons.account_in_use);
    await expect(row(page, "城市通政务（沙盒）")).toContainText(`平台请你这样做：${INSTRUCTIONS}`);
    await expect(row(page, "快行出行（沙盒）")).toContainText("已排期：");
    // Category-only platforms stay unnamed on paper too.
    await expect(row(page, zh.lookup.categoryLettered.lending.replace(" {letter}", ""))).toHaveCount(2);
    await expect(page.getByText(zh.record.use12300)).toBeVisible();
    await expect(page.getByTestId("record-generated")).toHaveText(/^本记录生成于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    await checkNothingLeaks(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await checkPrint(page, zh, zh.record.unbindTitle, "unbind-zh");
    // The way back.
    await page.getByRole("link", { name: zh.record.backToBatch }).click();
    await expect(page.getByRole("heading", { level: 1, name: zh.unbind.batchTitle })).toBeVisible();
    // Any page prints without the site's chrome: the batch page too, its histories unfolded.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator("body > header")).toBeHidden();
    await expect(page.getByRole("link", { name: zh.record.link })).toBeHidden();
    await expect(row(page, "连信（沙盒）").getByText(zh.unbind.statusShort.accepted)).toBeVisible();
    if (process.env.RECORD_SHOTS) await page.screenshot({ path: `${process.env.RECORD_SHOTS}/batch-zh-print.png`, fullPage: true });
    await page.emulateMedia({ media: null });
    await expect(row(page, "连信（沙盒）").getByText(zh.unbind.statusShort.accepted)).toBeHidden();

    // A report, forwarded to the platform behind it and answered.
    await page.goto("/reports/new");
    await page.getByLabel(zh.reports.textLabel, { exact: true }).fill(DEBT_SMS);
    await expect(page.getByLabel(zh.reports.platformLabel, { exact: true }).locator("option:checked")).toHaveText("易贷花（沙盒）");
    await page.getByRole("button", { name: zh.reports.submit }).click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\?sent=1$/);
    await expect(page.getByTestId("report-status")).toHaveText(zh.reports.status.resolved, { timeout: 20_000 });
    await page.getByRole("link", { name: zh.record.link }).click();
    await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}\/record$/);
    reportRecord = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1, name: zh.record.reportTitle })).toBeVisible();
    await expect(page.getByTestId("record-reference")).toHaveText(/^RP-[0-9A-F]{4}-[0-9A-F]{4}$/);
    await expect(page.getByTestId("record-number")).toHaveText(owner.masked);
    // The message as the platform received it: masked.
    await expect(page.getByTestId("record-message")).toContainText("刘**");
    await expect(page.getByTestId("record-message")).toContainText("138******78");
    await expect(page.getByTestId("record-status")).toContainText(zh.reports.status.resolved);
    await expect(page.getByTestId("record-status")).toContainText("易贷花（沙盒）表示已停止联系这个号码。");
    await expect(page.getByTestId("record-answers").getByRole("row")).toHaveText([
      /日期和时间/,
      new RegExp(zh.record.reportEvent.received),
      /已转给易贷花（沙盒）/,
      /易贷花（沙盒）确认收到举报/,
      new RegExp(zh.record.reportEvent.resolved),
    ]);
    await expect(page.getByText(zh.record.use12321)).toBeVisible();
    await checkNothingLeaks(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await checkPrint(page, zh, zh.record.reportTitle, "report-zh");
  });

  test("the records in English, at phone size", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await resumeSession(context, owner);
    await page.goto(batchRecord.replace(/\/record$/, ""));
    await page.getByRole("link", { name: en.record.link }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.record.unbindTitle })).toBeVisible();
    await expect(page.getByTestId("record-number")).toHaveText(owner.masked);
    await expect(page.getByRole("heading", { level: 2, name: "The 6 platforms asked" })).toBeVisible();
    await expect(row(page, "Linkup Chat (sandbox)").getByTestId("record-item-status")).toHaveText(en.unbind.status.unbound);
    await expect(row(page, "Linkup Chat (sandbox)")).toContainText("Delivered on the first attempt");
    await expect(row(page, "Daily Mall (sandbox)")).toContainText(en.unbind.reasons.account_in_use);
    await expect(page.getByText(en.record.useCarrier)).toBeVisible();
    await expect(page.getByTestId("record-generated")).toHaveText(/^Record made [A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s[AP]M$/);
    await checkNothingLeaks(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    if (process.env.RECORD_SHOTS) await page.screenshot({ path: `${process.env.RECORD_SHOTS}/unbind-en-phone.png`, fullPage: true });
    await checkPrint(page, en, en.record.unbindTitle, "unbind-en");

    await page.goto(reportRecord);
    await expect(page.getByRole("heading", { level: 1, name: en.record.reportTitle })).toBeVisible();
    await expect(page.getByText(en.reports.category.debt_collection, { exact: true })).toBeVisible();
    await expect(page.getByTestId("record-status")).toContainText(en.reports.status.resolved);
    await expect(page.getByTestId("record-answers").getByRole("row")).toHaveCount(5);
    await expect(page.getByText(en.record.messageMasked)).toBeVisible();
    await checkNothingLeaks(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    if (process.env.RECORD_SHOTS) await page.screenshot({ path: `${process.env.RECORD_SHOTS}/report-en-phone.png`, fullPage: true });
    await checkPrint(page, en, en.record.reportTitle, "report-en");
    await context.close();
  });

  test("another owner's record is a real 404", async ({ page, request }) => {
    const other = await createOwner(request, DEMO_STORY);
    await signIn(page, request, other, "zh-CN");
    for (const path of [batchRecord, reportRecord, "/unbind/not-a-uuid/record", "/reports/00000000-0000-4000-8000-000000000000/record"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByText(owner.masked)).toHaveCount(0);
    }
    // Signed out, a record is not shown either: the sign-in page is.
    await page.context().clearCookies();
    await page.goto(batchRecord);
    await expect(page).toHaveURL(/\/login/);
  });
});
