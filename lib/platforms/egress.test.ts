import type { LookupAddress, LookupOptions } from "node:dns";
import { describe, expect, it } from "vitest";
import { addressAllowed, checkBaseUrl, egressPolicy, ForbiddenAddressError, guardedLookup, STRICT_EGRESS, type EgressPolicy } from "@/lib/platforms/egress";
import { parseEnv } from "@/lib/env";

const DEV: EgressPolicy = { allowLoopback: true, requireHttps: false };

const FORBIDDEN_EVERYWHERE = [
  ["10.0.0.1", "private 10/8"],
  ["10.255.255.255", "private 10/8, top"],
  ["172.16.0.1", "private 172.16/12"],
  ["172.31.255.254", "private 172.16/12, top"],
  ["192.168.1.1", "private 192.168/16"],
  ["169.254.169.254", "link-local cloud metadata"],
  ["100.64.0.1", "carrier-grade NAT"],
  ["100.127.255.254", "carrier-grade NAT, top"],
  ["fc00::1", "IPv6 unique local fc00::/7"],
  ["fd12:3456::1", "IPv6 unique local fd00::/8"],
  ["fe80::1", "IPv6 link-local"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
  ["::a9fe:a9fe", "IPv4-compatible metadata (::169.254.169.254)"],
  ["::10.0.0.1", "IPv4-compatible private"],
  ["::0.0.0.2", "IPv4-compatible 0/8"],
  ["0.0.0.0", "unspecified IPv4"],
  ["::", "unspecified IPv6"],
  ["224.0.0.1", "IPv4 multicast"],
  ["239.255.255.250", "IPv4 multicast (SSDP)"],
  ["ff02::1", "IPv6 multicast"],
  ["255.255.255.255", "broadcast"],
] as const;

const LOOPBACK = [
  ["127.0.0.1", "IPv4 loopback"],
  ["127.1.2.3", "IPv4 loopback range"],
  ["::1", "IPv6 loopback"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
  ["::127.0.0.1", "IPv4-compatible loopback"],
  ["::7f00:1", "IPv4-compatible loopback, hex"],
] as const;

const PUBLIC = ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"];

describe("addressAllowed", () => {
  it.each(FORBIDDEN_EVERYWHERE)("refuses %s (%s) under the strict policy and the development policy", (ip) => {
    expect(addressAllowed(ip, STRICT_EGRESS)).toBe(false);
    expect(addressAllowed(ip, DEV)).toBe(false);
  });

  it.each(LOOPBACK)("refuses %s (%s) under the strict policy but allows it under the development policy", (ip) => {
    expect(addressAllowed(ip, STRICT_EGRESS)).toBe(false);
    expect(addressAllowed(ip, DEV)).toBe(true);
  });

  it.each(PUBLIC)("allows public unicast %s under both policies", (ip) => {
    expect(addressAllowed(ip, STRICT_EGRESS)).toBe(true);
    expect(addressAllowed(ip, DEV)).toBe(true);
  });

  it("refuses something that is not an IP address at all", () => {
    expect(addressAllowed("example.com", DEV)).toBe(false);
    expect(addressAllowed("", DEV)).toBe(false);
    expect(addressAllowed("999.1.1.1", DEV)).toBe(false);
  });
});

describe("checkBaseUrl under the strict (production) policy", () => {
  it.each([
    "https://127.0.0.1/x",
    "https://127.0.0.1:4010/x",
    "https://[::1]/x",
    "https://localhost/x",
    "https://LOCALHOST/x",
    "https://partner.localhost/x",
    "https://10.1.2.3/x",
    "https://172.16.0.1/x",
    "https://192.168.0.1/x",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/x",
    "https://[fc00::1]/x",
    "https://[fe80::1]/x",
    "https://[::ffff:10.0.0.1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::ffff:7f00:1]/x",
    // IPv4-compatible IPv6 (::/96) carries an IPv4 address too.
    "https://[::127.0.0.1]/x",
    "https://[::7f00:1]/x",
    "https://[::a9fe:a9fe]/x",
    "https://[::169.254.169.254]/x",
    "https://[::10.0.0.1]/x",
    // A trailing dot names the same host (the DNS root).
    "https://localhost./x",
    "https://LOCALHOST./x",
    "https://foo.localhost./x",
    "https://0.0.0.0/x",
    "https://224.0.0.1/x",
    "https://[ff02::1]/x",
    // Alternative spellings of 127.0.0.1 that the URL parser normalises.
    "https://2130706433/x",
    "https://0x7f.1/x",
  ])("refuses %s as a forbidden address", (url) => {
    expect(checkBaseUrl(url, STRICT_EGRESS)).toEqual({ ok: false, reason: "forbidden_address" });
  });

  it.each(["http://example.com/", "http://93.184.215.14/x", "http://127.0.0.1:4010/x", "http://localhost/x"])("refuses plain http: %s", (url) => {
    expect(checkBaseUrl(url, STRICT_EGRESS)).toEqual({ ok: false, reason: "https_required" });
  });

  it.each([
    "https://user:pass@example.com/",
    "https://user@example.com/",
    "https://:pass@example.com/",
    "https://example.com/?token=x",
    "https://example.com/#frag",
    "ftp://example.com/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "not a url",
    "",
  ])("refuses %j as an invalid URL", (url) => {
    expect(checkBaseUrl(url, STRICT_EGRESS)).toEqual({ ok: false, reason: "invalid_url" });
  });

  it("allows https to a public IP literal and to a public host name", () => {
    const literal = checkBaseUrl("https://93.184.215.14/x", STRICT_EGRESS);
    expect(literal.ok).toBe(true);
    if (literal.ok) expect(literal.url.href).toBe("https://93.184.215.14/x");

    const named = checkBaseUrl("https://partner.example.com/reclaim/v1", STRICT_EGRESS);
    expect(named.ok).toBe(true);
    if (named.ok) {
      expect(named.url.hostname).toBe("partner.example.com");
      expect(named.url.pathname).toBe("/reclaim/v1");
    }
  });

  it("judges an IPv4-compatible IPv6 literal by the IPv4 address it carries", () => {
    expect(checkBaseUrl("https://[::8.8.8.8]/x", STRICT_EGRESS).ok).toBe(true);
    expect(checkBaseUrl("http://[::127.0.0.1]/x", STRICT_EGRESS)).toEqual({ ok: false, reason: "https_required" });
  });

  it("allows https to a public IPv6 literal", () => {
    expect(checkBaseUrl("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x", STRICT_EGRESS).ok).toBe(true);
  });
});

describe("checkBaseUrl under the development policy", () => {
  it.each(["http://127.0.0.1:4010/x", "http://localhost:4010/x", "http://localhost.:4010/x", "http://[::1]:4010/x", "http://[::127.0.0.1]:4010/x", "https://127.0.0.1:4010/x"])("allows loopback %s", (url) => {
    const result = checkBaseUrl(url, DEV);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.url.href).toBe(new URL(url).href);
  });

  it("still refuses plain http to anything but loopback", () => {
    expect(checkBaseUrl("http://10.0.0.5/", DEV)).toEqual({ ok: false, reason: "https_required" });
    expect(checkBaseUrl("http://example.com/", DEV)).toEqual({ ok: false, reason: "https_required" });
    expect(checkBaseUrl("http://93.184.215.14/", DEV)).toEqual({ ok: false, reason: "https_required" });
  });

  it("still refuses private and link-local addresses over https", () => {
    expect(checkBaseUrl("https://10.0.0.5/", DEV)).toEqual({ ok: false, reason: "forbidden_address" });
    expect(checkBaseUrl("https://169.254.169.254/", DEV)).toEqual({ ok: false, reason: "forbidden_address" });
    expect(checkBaseUrl("https://[::ffff:10.0.0.1]/", DEV)).toEqual({ ok: false, reason: "forbidden_address" });
    expect(checkBaseUrl("https://[::a9fe:a9fe]/", DEV)).toEqual({ ok: false, reason: "forbidden_address" });
    expect(checkBaseUrl("http://[::a9fe:a9fe]/", DEV)).toEqual({ ok: false, reason: "https_required" });
  });

  it("still refuses credentials", () => {
    expect(checkBaseUrl("http://user:pass@127.0.0.1:4010/", DEV)).toEqual({ ok: false, reason: "invalid_url" });
  });

  it("still allows https to public hosts", () => {
    expect(checkBaseUrl("https://partner.example.com/", DEV).ok).toBe(true);
  });
});

describe("egressPolicy", () => {
  // Whether this is a local run (development, tests, a sandbox) is derived once, in lib/env.ts.
  const local = (source: Record<string, string>) => egressPolicy(parseEnv(source));
  const production = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "https://r.example.cn", SMS_PROVIDER: "aliyun", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: Buffer.alloc(32, 1).toString("base64") };

  it("is strict in production", () => {
    expect(local(production)).toEqual(STRICT_EGRESS);
    expect(local({ ...production, RECLAIM_SANDBOX: "false" })).toEqual(STRICT_EGRESS);
    expect(local({ ...production, RECLAIM_SANDBOX: "" })).toEqual(STRICT_EGRESS);
  });

  it("allows loopback over http in development and tests", () => {
    expect(local({ NODE_ENV: "development" })).toEqual(DEV);
    expect(local({ NODE_ENV: "test" })).toEqual(DEV);
    expect(local({})).toEqual(DEV);
  });

  it("allows loopback over http in a production build deployed as a sandbox", () => {
    expect(local({ ...production, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" })).toEqual(DEV);
    expect(local({ ...production, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "1" })).toEqual(DEV);
  });
});

type LookupOutcome = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function lookup(policy: EgressPolicy, hostname: string, options: LookupOptions): Promise<LookupOutcome> {
  return new Promise((resolve) => {
    guardedLookup(policy)(hostname, options, (err, address, family) => resolve({ err, address, family }));
  });
}

describe("guardedLookup", () => {
  it.each([{ all: true }, { all: false }, {}])("refuses localhost under the strict policy (options %j)", async (options) => {
    const { err, address } = await lookup(STRICT_EGRESS, "localhost", options);
    expect(err).toBeInstanceOf(ForbiddenAddressError);
    expect(err).toMatchObject({ code: "forbidden_address" });
    expect(addressAllowed((err as ForbiddenAddressError).address, DEV)).toBe(true);
    expect(address).toEqual([]);
  });

  it("refuses an IP literal of a forbidden range, as a name resolving there would be", async () => {
    const { err } = await lookup(DEV, "169.254.169.254", { all: false });
    expect(err).toMatchObject({ code: "forbidden_address", address: "169.254.169.254" });
  });

  it("answers with the list of loopback addresses under the development policy when asked for all", async () => {
    const { err, address } = await lookup(DEV, "localhost", { all: true });
    expect(err).toBeNull();
    expect(Array.isArray(address)).toBe(true);
    const list = address as LookupAddress[];
    expect(list.length).toBeGreaterThan(0);
    for (const entry of list) {
      expect(["127.0.0.1", "::1"]).toContain(entry.address);
      expect([4, 6]).toContain(entry.family);
    }
  });

  it("answers with a single loopback address and its family under the development policy when not asked for all", async () => {
    const { err, address, family } = await lookup(DEV, "localhost", { all: false });
    expect(err).toBeNull();
    expect(typeof address).toBe("string");
    expect(["127.0.0.1", "::1"]).toContain(address);
    expect(family).toBe(address === "::1" ? 6 : 4);
  });

  it("honours a requested address family", async () => {
    const { err, address, family } = await lookup(DEV, "127.0.0.1", { family: 4 });
    expect(err).toBeNull();
    expect(address).toBe("127.0.0.1");
    expect(family).toBe(4);
  });

  it("passes DNS errors through rather than inventing an address", async () => {
    const { err } = await lookup(DEV, "does-not-exist.invalid", { all: false });
    expect(err).not.toBeNull();
    expect(err).not.toBeInstanceOf(ForbiddenAddressError);
  });
});
