// Prints "<label>: N passed, N failed, N skipped" per Vitest or Playwright JSON report (and the
// fuzzer's counts), then the total of tests.
import { readFileSync } from "node:fs";

const total = { passed: 0, failed: 0, skipped: 0 };
for (const arg of process.argv.slice(2)) {
  const [label, file] = arg.split("=");
  const report = JSON.parse(readFileSync(file, "utf8"));
  if ("fuzz" in report) {
    const { sent, fiveXX, hangs, grown } = report.fuzz;
    console.log(`${label}: ${sent} hostile requests, ${fiveXX} answered 5xx, ${hangs} hung, tables grown: ${grown.length ? grown.join(", ") : "none"}`);
    continue;
  }
  const counts =
    "numPassedTests" in report
      ? { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests }
      : { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
  for (const key of Object.keys(total)) total[key] += counts[key];
  console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
