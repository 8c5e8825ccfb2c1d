import { createHash } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import en from "../messages/en.json";
import zh from "../messages/zh-CN.json";

export const messages = { "zh-CN": zh, en } as const;
export type Locale = keyof typeof messages;

/** Serious and critical axe violations on the page as it is now (WCAG 2.x A/AA rules). */
export async function seriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/**
 * Each test's browser comes from an address of its own (the e2e server trusts one proxy hop), so
 * the per-address limits — 20 codes an hour — are the test's own, not shared by the whole run.
 */
function addressOf(testId: string, retry: number): string {
  const hash = createHash("sha256").update(`${testId}:${retry}`).digest();
  return `10.${hash[0]}.${hash[1]}.${hash[2]}`;
}

export const test = base.extend<{ consoleProblems: string[] }>({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, provide, testInfo) => {
    await provide({ ...extraHTTPHeaders, "x-forwarded-for": addressOf(testInfo.testId, testInfo.retry) });
  },
  // Every test fails on a CSP violation or an uncaught page error, wherever it happens.
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
      });
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
      await use(problems);
      expect(problems, "CSP violations or page errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
