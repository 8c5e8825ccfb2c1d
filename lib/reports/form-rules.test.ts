import { describe, expect, it } from "vitest";
import { beijingTime, liveFieldErrors, reportFieldProblem } from "./form-rules";
import { MAX_COMPANY_CHARS, MAX_SENDER_CHARS, MAX_TEXT_CHARS } from "./limits";
import { reportSchema } from "./report-schema";
import { cleanText } from "@/lib/text";

const NOW = new Date("2026-12-04T02:00:00Z"); // 10:00 in Beijing
const base = { channel: "sms", text: "【易贷花】刘某某 您的欠款已逾期" };

/** The server's message key for one field's value (cleaned as lib/actions.ts cleans it, then the schema's issue), as the form names it. */
function serverProblem(field: string, value: string): string | null {
  const parsed = reportSchema.safeParse({ ...base, [field]: cleanText(value) });
  if (parsed.success) return null;
  const issue = parsed.error.issues.find((i) => i.path[0] === field);
  return issue ? issue.message.replace(/^reports\./, "") : null;
}

describe("the report form's field checks in the browser", () => {
  const samples: Record<string, string[]> = {
    text: ["", "   ", "a", " \u0000 ", "x".repeat(MAX_TEXT_CHARS), "x".repeat(MAX_TEXT_CHARS + 1), ` ${"x".repeat(MAX_TEXT_CHARS)} \n`, `${"x".repeat(MAX_TEXT_CHARS)}\u0007`],
    sender: ["", "10690003001", "x".repeat(MAX_SENDER_CHARS), "x".repeat(MAX_SENDER_CHARS + 1), `  ${"x".repeat(MAX_SENDER_CHARS)}  `],
    company: ["", "幸福街道办事处", "x".repeat(MAX_COMPANY_CHARS), "x".repeat(MAX_COMPANY_CHARS + 1)],
    channel: ["sms", "call", "other", "", "fax"],
    category: ["", "debt_collection", "other", "spam"],
    receivedAt: ["", "2026-12-04T09:30", "2026-12-04 09:30", "2026-13-40T09:30", "yesterday", " 2026-12-03T09:30 "],
  };

  for (const [field, values] of Object.entries(samples)) {
    it(`agrees with the server's schema on ${field}`, () => {
      for (const value of values) expect(reportFieldProblem(field, value, NOW), JSON.stringify(value)).toBe(serverProblem(field, value));
    });
  }

  it("applies the action's time checks: a few minutes of grace ahead, at most a year back (Beijing time)", () => {
    expect(reportFieldProblem("receivedAt", "2026-12-04T10:04", NOW)).toBeNull();
    expect(reportFieldProblem("receivedAt", "2026-12-04T10:06", NOW)).toBe("errors.receivedAtFuture");
    expect(reportFieldProblem("receivedAt", "2025-12-04T10:00", NOW)).toBeNull();
    expect(reportFieldProblem("receivedAt", "2025-12-02T10:00", NOW)).toBe("errors.receivedAtOld");
    expect(beijingTime("2026-12-04T10:00")?.toISOString()).toBe("2026-12-04T02:00:00.000Z");
    expect(beijingTime("2026-02-31T10:00")?.toISOString()).toBe("2026-03-03T02:00:00.000Z"); // as the server's Date reads it
  });
});

describe("which refused-submit errors the form still shows", () => {
  const problem = (field: string, value: string) => {
    const key = reportFieldProblem(field, value, NOW);
    return key ? `msg:${key}` : null;
  };
  const refused = { text: "too long", evidence: "not an image", sender: "too long" };
  const submitted = { text: "x".repeat(MAX_TEXT_CHARS + 10), sender: "s".repeat(70), evidence: "" };

  it("keeps an error while its field holds the refused value", () => {
    expect(liveFieldErrors(refused, submitted, { ...submitted }, problem)).toEqual(refused);
  });

  it("drops the 2,000-character error as soon as the text is short enough, and only that one", () => {
    const live = liveFieldErrors(refused, submitted, { ...submitted, text: "x".repeat(MAX_TEXT_CHARS) }, problem);
    expect(live).toEqual({ evidence: "not an image", sender: "too long" });
  });

  it("changes the message when the field is wrong another way, and clears a file error once files are chosen again", () => {
    const live = liveFieldErrors(refused, submitted, { ...submitted, text: "  ", evidence: "chosen:1", sender: "s".repeat(65) }, problem);
    expect(live).toEqual({ text: "msg:errors.textRequired", sender: "msg:errors.senderTooLong" });
  });

  it("never adds an error to a field the server did not refuse", () => {
    expect(liveFieldErrors({ text: "required" }, { text: "", company: "" }, { text: "ok", company: "c".repeat(500) }, problem)).toEqual({});
  });
});
