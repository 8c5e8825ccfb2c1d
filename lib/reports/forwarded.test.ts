import { describe, expect, it } from "vitest";
import { forwardedCopy, submittedField } from "./forwarded";
import { redactText } from "./redact";

describe("the forwarded copy the report form previews", () => {
  it("is the stored value (control characters gone, trimmed) through the outbox's redaction", () => {
    const raw = "  【易贷花】刘某某\r\n您的欠款\u00003,280.50元已逾期，请联系 13812345678\u0007  \n";
    expect(submittedField(raw)).toBe("【易贷花】刘某某\n您的欠款3,280.50元已逾期，请联系 13812345678");
    expect(forwardedCopy({ text: raw })).toEqual({ text: "【易贷花】刘**\n您的欠款***元已逾期，请联系 138******78" });
    expect(forwardedCopy({ text: raw }).text).toBe(redactText(submittedField(raw)));
  });

  it("carries the sender only when one was given, redacted like the text", () => {
    expect(forwardedCopy({ text: "x", sender: "   " })).toEqual({ text: "x" });
    expect(forwardedCopy({ text: "x", sender: " 13812345678 " })).toEqual({ text: "x", sender: "138******78" });
    expect(forwardedCopy({ text: "x", sender: "10690003001" })).toEqual({ text: "x", sender: "10690003001" });
  });
});
