import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { testServerEnv } from "./e2e/server-env";

// Workers inherit the runner's environment, so the port chosen here is the one they all use.
const freePort = () =>
  execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
process.env.E2E_PORT ??= freePort();
// The reference partner server (the sandbox platforms); specs read its URL to turn its knobs.
process.env.E2E_PARTNER_PORT ??= freePort();
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
const partnerURL = `http://127.0.0.1:${process.env.E2E_PARTNER_PORT}`;

// Debian's Chromium where it is installed (browsers cannot be downloaded on every machine), else
// Playwright's own build.
const systemChromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchOptions = existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {};

const desktop = { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions };

const build = process.env.E2E_SKIP_BUILD ? "" : "npm run build && ";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Two for a 2-core CI; E2E_WORKERS=3 (or more) shows the specs do not depend on one another.
  workers: Number(process.env.E2E_WORKERS) || 2,
  reporter: process.env.CI_E2E_REPORT ? [["list"], ["json", { outputFile: process.env.CI_E2E_REPORT }]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL,
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions,
  },
  projects: [
    // Every spec makes its own owner (number, carrier record, partner-server state) and keeps any
    // time travel to its own browser (e2e/pages/owner-session.ts): they run in any order, at once.
    { name: "desktop", use: desktop },
    {
      name: "phone",
      use: { ...devices["Pixel 7"], viewport: { width: 390, height: 844 }, launchOptions },
      // The owner flows run once, on desktop, and cover the phone size inside their own specs; the
      // access matrix checks HTTP answers, which do not depend on the screen.
      testIgnore: [/owner-.*\.spec\.ts/, /access-matrix\.spec\.ts/],
    },
  ],
  webServer: [
    {
      // The sandbox platforms, on their own free port; the app is pointed at them below.
      command: "node node_modules/tsx/dist/cli.mjs sandbox/partner/main.ts",
      url: `${partnerURL}/health`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      // Callbacks go to the app's /api/partner/v1/unbind-results; attestations verify against its JWKS.
      env: { PARTNER_PORT: String(process.env.E2E_PARTNER_PORT), RECLAIM_URL: baseURL },
    },
    {
      // A production build served by `next start` itself (not npx), so stopping the PID stops the server.
      command: `${build}node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`,
      url: `${baseURL}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: testServerEnv(baseURL, {
        RECLAIM_TEST_CLOCK: "1",
        // Each test's browser says where it comes from (X-Forwarded-For, e2e/fixtures.ts), so the
        // per-address limits are its own; without the header the socket's address counts, as before.
        TRUSTED_PROXY_HOPS: "1",
        SANDBOX_PARTNER_URL: partnerURL,
        // The outbox's three days of retries in about half a minute: a spec can watch a platform
        // that keeps failing run out of retries (e2e/agent-cases.spec.ts).
        OUTBOX_RETRY_SCALE: "0.0001",
        // Screenshots of this run only, out of the working tree.
        UPLOADS_DIR: path.join(os.tmpdir(), `reclaim-e2e-uploads-${port}`),
      }),
    },
  ],
});
