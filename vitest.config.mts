import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside React Server Components (STACK-NOTES 11).
      { find: /^server-only$/, replacement: `${root}/db/testing-server-only.ts` },
    ],
  },
  test: {
    include: ["{app,components,db,lib,scripts,sandbox}/**/*.test.{ts,tsx}", "messages/**/*.test.ts"],
    environment: "node",
    // .ci/run collects a JSON report per pass and prints one summary line for each.
    reporters: process.env.CI_REPORT ? ["default", ["json", { outputFile: process.env.CI_REPORT }]] : ["default"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own database; two at a time fits two cores and PGlite's memory use.
    maxWorkers: 2,
  },
});
