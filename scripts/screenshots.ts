import { mkdirSync } from "node:fs";
import { chromium } from "@playwright/test";

/**
 * Screenshots of pages at phone and desktop size, in both languages, for looking at what we built:
 *   npx tsx scripts/screenshots.ts http://127.0.0.1:3000 / /api/health
 */
async function main() {
  const [base = "http://127.0.0.1:3000", ...paths] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  mkdirSync("screenshots", { recursive: true });
  for (const path of paths.length ? paths : ["/"]) {
    for (const [label, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 800 }]] as const) {
      for (const locale of ["zh-CN", "en"]) {
        const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 });
        const page = await context.newPage();
        await page.goto(base + path);
        const file = `screenshots/${path.replace(/\W+/g, "_") || "home"}-${label}-${locale}.png`;
        await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
        console.log(file);
        await context.close();
      }
    }
  }
  await browser.close();
}

void main();
