import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, isForeignPagePost } from "./csp";

const action = (headers: Record<string, string>, method = "POST") => ({
  method,
  headers: new Headers({ host: "reclaim.example", "next-action": "abc123", ...headers }),
  nextUrl: { host: "reclaim.example" },
});

describe("content security policy", () => {
  it("locks down objects, base URIs and framing, and allows scripts only by nonce", () => {
    const csp = contentSecurityPolicy("n0nce");
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toMatch(/script-src 'self' 'nonce-n0nce' 'strict-dynamic'(;|$)/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("makes a different nonce every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("server action origin check", () => {
  it("lets a same-origin action through", () => {
    expect(isForeignPagePost(action({ origin: "https://reclaim.example" }))).toBe(false);
  });

  it("refuses an action with no Origin, an opaque one or a foreign one", () => {
    expect(isForeignPagePost(action({}))).toBe(true);
    expect(isForeignPagePost(action({ origin: "null" }))).toBe(true);
    expect(isForeignPagePost(action({ origin: "https://evil.example" }))).toBe(true);
    expect(isForeignPagePost(action({ origin: "https://reclaim.example.evil.example" }))).toBe(true);
  });

  it("accepts a configured public origin behind a proxy", () => {
    const req = action({ origin: "https://reclaim.example.cn" });
    expect(isForeignPagePost(req, ["https://reclaim.example.cn"])).toBe(false);
  });

  it("leaves reads alone", () => {
    expect(isForeignPagePost(action({}, "GET"))).toBe(false);
    expect(isForeignPagePost(action({}, "HEAD"))).toBe(false);
  });

  it("refuses a form posted without JavaScript (no Next-Action header) unless Origin or Referer is ours", () => {
    const plain = (headers: Record<string, string>) => ({ method: "POST", headers: new Headers({ host: "reclaim.example", ...headers }), nextUrl: { host: "reclaim.example" } });
    expect(isForeignPagePost(plain({}))).toBe(true);
    expect(isForeignPagePost(plain({ referer: "https://evil.example/login" }))).toBe(true);
    expect(isForeignPagePost(plain({ referer: "https://reclaim.example/login" }))).toBe(false);
    expect(isForeignPagePost(plain({ origin: "https://reclaim.example" }))).toBe(false);
    expect(isForeignPagePost({ ...plain({}), method: "PUT" })).toBe(true);
  });
});
