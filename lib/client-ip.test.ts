import { describe, expect, it } from "vitest";
import { clientAddress, limitKeyFor, PEER_HEADER } from "./client-ip";

const h = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("with no proxy (0 hops) uses the socket's peer and ignores any X-Forwarded-For a client sends", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "198.51.100.1" }), 0)).toBe("203.0.113.9");
  });

  it("behind N proxies takes the N-th entry from the right, never a client-written one", () => {
    const headers = h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.1" });
    expect(clientAddress(headers, 1)).toBe("10.0.0.1");
    expect(clientAddress(headers, 2)).toBe("203.0.113.7");
    // Rotating the client-written part changes nothing.
    expect(clientAddress(h({ "x-forwarded-for": "9.9.9.9, 203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientAddress(h({ "x-forwarded-for": "8.8.8.8, 203.0.113.7" }), 1)).toBe("203.0.113.7");
  });

  it("keys a request that skipped a proxy by its peer", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "203.0.113.5", "x-forwarded-for": "203.0.113.7" }), 2)).toBe("203.0.113.5");
  });

  it("keys IPv6 by /64 and IPv4-mapped IPv6 as IPv4", () => {
    expect(limitKeyFor("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitKeyFor("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(limitKeyFor("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(limitKeyFor("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(limitKeyFor("not an address")).toBe("unknown");
  });
});
