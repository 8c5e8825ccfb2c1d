import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { staffSeed } from "../db/seed-data";
import { haveBuild, startApp } from "./lib/server";

/**
 * JavaScript a first visit downloads, per route, measured in Chromium against `next start` (needs
 * `npm run build` first). Prints raw and gzip sizes; asserts nothing.
 */
async function main() {
  if (!haveBuild()) {
    console.log("bench/first-load-js: no production build (run `npm run build` first); skipped");
    return;
  }
  const app = await startApp();
  const base = app.base;
  const browser = await chromium.launch({
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    console.log("bench/first-load-js: JavaScript downloaded on a first visit (cold cache)");
    const agent = staffSeed.find((s) => s.role === "agent")!;
    // The agent console needs a session: sign in once, then measure in fresh contexts that carry
    // only the cookies, so every route is measured with an empty cache.
    const signIn = await browser.newContext();
    const login = await signIn.newPage();
    await login.goto(`${base}/staff/login`);
    await login.locator("#email").fill(agent.email);
    await login.locator("#password").fill(agent.password);
    await login.locator("main form button[type=submit]").click();
    await login.waitForURL("**/agent");
    const signedIn = await signIn.storageState();
    await signIn.close();

    for (const route of [{ path: "/" }, { path: "/login" }, { path: "/staff/login" }, { path: "/agent", session: true }]) {
      const context = await browser.newContext(route.session ? { storageState: signedIn } : {});
      const page = await context.newPage();
      let raw = 0;
      let gzip = 0;
      let files = 0;
      page.on("response", async (response) => {
        if (response.request().resourceType() !== "script") return;
        const body = await response.body().catch(() => Buffer.alloc(0));
        raw += body.length;
        gzip += gzipSync(body).length;
        files++;
      });
      await page.goto(`${base}${route.path}`, { waitUntil: "networkidle" });
      console.log(`${route.path.padEnd(14)} ${files} files · ${(raw / 1024).toFixed(1)} kB raw · ${(gzip / 1024).toFixed(1)} kB gzip`);
      await context.close();
    }
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main();
