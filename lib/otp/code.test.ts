import { describe, expect, it } from "vitest";
import { CODE_LENGTH, codeMatches, deriveKey, generateCode, hashCode, normaliseCode, pseudonym } from "./code";

describe("codes", () => {
  it("are 6 digits, leading zeros kept, and spread over the whole range", () => {
    const codes = Array.from({ length: 5000 }, generateCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(4900);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10);
    expect(CODE_LENGTH).toBe(6);
  });

  it("are stored as an HMAC bound to challenge, purpose and number, never in clear", () => {
    const key = deriveKey("server-secret", "otp-code");
    const input = { challengeId: "c1", purpose: "sign_in", number: "+8613800138000", code: "123456" };
    const stored = hashCode(key, input);
    expect(stored).not.toContain("123456");
    expect(codeMatches(key, stored, input)).toBe(true);
    expect(codeMatches(key, stored, { ...input, code: "123457" })).toBe(false);
    expect(codeMatches(key, stored, { ...input, purpose: "reverify" })).toBe(false);
    expect(codeMatches(key, stored, { ...input, challengeId: "c2" })).toBe(false);
    expect(codeMatches(key, stored, { ...input, number: "+8613800138001" })).toBe(false);
    expect(codeMatches(deriveKey("another-secret", "otp-code"), stored, input)).toBe(false);
  });

  it("use separate derived keys per purpose", () => {
    expect(deriveKey("s", "otp-code").equals(deriveKey("s", "limit-key"))).toBe(false);
    expect(pseudonym(deriveKey("s", "limit-key"), "+8613800138000")).not.toContain("138");
  });

  it("tolerate what people type and paste", () => {
    expect(normaliseCode(" 123 456 ")).toBe("123456");
    expect(normaliseCode("123-456")).toBe("123456");
    expect(normaliseCode("１２３４５６")).toBe("123456");
  });
});
