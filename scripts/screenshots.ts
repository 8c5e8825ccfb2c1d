import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContextOptions } from "@playwright/test";

/**
 * Screenshots of pages at phone and desktop size, in both languages, for looking at what we built:
 *   npx tsx scripts/screenshots.ts http://127.0.0.1:3000 / /api/health
 * Owner pages: OWNER=+8613800138000 signs that number in first (a sandbox build: the code is read
 * from the dev SMS outbox), and every shot uses that session. FULL=1 shoots whole pages.
 */
async function main() {
  const [base = "http://127.0.0.1:3000", ...paths] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const session = process.env.OWNER ? await signIn(browser, base, process.env.OWNER) : undefined;
  mkdirSync("screenshots", { recursive: true });
  for (const path of paths.length ? paths : ["/"]) {
    for (const [label, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 800 }]] as const) {
      for (const locale of ["zh-CN", "en"]) {
        const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1, storageState: session });
        await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
        const page = await context.newPage();
        await page.goto(base + path);
        await page.waitForLoadState("networkidle").catch(() => undefined);
        const file = `screenshots/${path.replace(/\W+/g, "_") || "home"}-${label}-${locale}.png`;
        await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
        console.log(file);
        await context.close();
      }
    }
  }
  await browser.close();
}

/** Signs `number` in through the pages, reading the code from the dev SMS outbox. */
async function signIn(browser: Browser, base: string, number: string): Promise<BrowserContextOptions["storageState"]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator('input[name="number"]').fill(number.replace(/^\+86/, ""));
  await page.locator('input[name="terms"]').check();
  await page.locator('#main button[type="submit"]').first().click();
  await page.locator('input[name="code"]').waitFor();
  const outbox = (await (await page.request.get(`${base}/api/dev/sms?to=${encodeURIComponent(number)}`)).json()) as { messages: { body: string }[] };
  const code = /(\d{6})/.exec(outbox.messages[0]?.body ?? "")?.[1] ?? "";
  await page.locator('input[name="code"]').fill(code);
  await page.locator('#main button[type="submit"]').first().click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  const state = await context.storageState();
  await context.close();
  return state;
}

void main();
