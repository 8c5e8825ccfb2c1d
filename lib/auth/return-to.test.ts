import { describe, expect, it } from "vitest";
import { loginPathFor, returnPathOr, safeReturnPath } from "./return-to";

describe("the page to return to after sign-in", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeReturnPath("/me")).toBe("/me");
    expect(safeReturnPath("/reports/6f1c2a7e-1d2b-4c3d-8e9f-0a1b2c3d4e5f")).toBe("/reports/6f1c2a7e-1d2b-4c3d-8e9f-0a1b2c3d4e5f");
    expect(safeReturnPath("/unbind/new?p=alpha-chat&p=beta-ride")).toBe("/unbind/new?p=alpha-chat&p=beta-ride");
    expect(safeReturnPath("/reports/new?platform=%E5%A5%BD")).toBe("/reports/new?platform=%E5%A5%BD");
    // Dot segments are resolved as a browser would.
    expect(safeReturnPath("/reports/./new")).toBe("/reports/new");
  });

  it.each([
    ["another host, protocol-relative", "//evil.example/me"],
    ["a backslash, which browsers read as a slash", "/\\evil.example"],
    ["backslashes only", "\\\\evil.example"],
    ["an absolute URL", "https://evil.example/me"],
    ["a scheme without slashes", "https:evil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["a relative path", "me"],
    ["an escaped second slash", "/%2F%2Fevil.example"],
    ["an escaped slash after one", "/%2Fevil.example"],
    ["an escaped backslash", "/%5Cevil.example"],
    ["a tab that URL parsers drop", "/\t/evil.example"],
    ["an escaped tab", "/%09/evil.example"],
    ["a newline", "/\n/evil.example"],
    ["an escaped newline", "/%0a/evil.example"],
    ["a NUL", "/me%00"],
    ["a space", "/ /evil.example"],
    ["non-ASCII, unescaped", "/报告"],
    ["a malformed escape", "/reports/%zz"],
    ["the sign-in page (a loop)", "/login"],
    ["the code step", "/login/verify?next=/me"],
    ["a way into the sign-in page by dot segments", "/reports/../login"],
    ["the same, escaped", "/reports/%2e%2e/login"],
    ["the staff sign-in", "/staff/login"],
    ["the sign-out step", "/sign-out?from=/me"],
    ["an API route", "/api/health"],
    ["an empty string", ""],
    ["too long", `/${"a".repeat(600)}`],
  ])("refuses %s", (_, raw) => {
    expect(safeReturnPath(raw)).toBeNull();
  });

  it("refuses anything that is not one string", () => {
    expect(safeReturnPath(undefined)).toBeNull();
    expect(safeReturnPath(null)).toBeNull();
    expect(safeReturnPath(["/me", "/reports"])).toBeNull();
    expect(safeReturnPath({ toString: () => "/me" })).toBeNull();
  });

  it("falls back to the number page", () => {
    expect(returnPathOr("//evil.example")).toBe("/me");
    expect(returnPathOr(undefined)).toBe("/me");
    expect(returnPathOr("/reports")).toBe("/reports");
  });

  it("carries the page in the sign-in link, escaped, and only when it is worth carrying", () => {
    expect(loginPathFor("/unbind/new?p=alpha-chat")).toBe("/login?next=%2Funbind%2Fnew%3Fp%3Dalpha-chat");
    expect(loginPathFor("/me")).toBe("/login");
    expect(loginPathFor("https://evil.example")).toBe("/login");
    expect(loginPathFor("/reports", "/login/verify")).toBe("/login/verify?next=%2Freports");
  });
});
