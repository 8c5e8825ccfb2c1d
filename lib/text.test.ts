import { describe, expect, it } from "vitest";
import { cleanStrings, cleanText } from "./text";

describe("cleanText", () => {
  it("removes NUL and other control characters, keeps tabs and line breaks, normalises CRLF", () => {
    expect(cleanText("a\u0000b\u0007c\u001b[31md\u007f\u0085e")).toBe("abc[31mde");
    expect(cleanText("line 1\r\nline 2\rline 3\tend")).toBe("line 1\nline 2\nline 3\tend");
    expect(cleanText("刘某某，您的欠款")).toBe("刘某某，您的欠款");
  });

  it("replaces lone surrogates, which no database can store as text", () => {
    expect(cleanText("x\ud800y")).toBe("x\ufffdy");
  });

  it("cleans every string of a parsed body, keys included", () => {
    expect(cleanStrings({ "k\u0000": ["a\u0000", { n: 1, s: "b\u0001" }], t: true })).toEqual({ k: ["a", { n: 1, s: "b" }], t: true });
  });
});
