import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import ipaddr from "ipaddr.js";

/**
 * Where outbound partner calls may go. Platforms register a base URL; a wrong or malicious one must
 * not turn Reclaim into a proxy into its own network (SSRF). In production only https to public
 * unicast addresses is allowed. Development, tests and sandbox deployments may also call loopback
 * over http, where the reference partner server runs; private, link-local and other special ranges
 * are refused everywhere.
 */
export interface EgressPolicy {
  allowLoopback: boolean;
  requireHttps: boolean;
}

export function egressPolicy(env: Record<string, string | undefined> = process.env): EgressPolicy {
  const sandbox = env.RECLAIM_SANDBOX === "true" || env.RECLAIM_SANDBOX === "1";
  const local = env.NODE_ENV !== "production" || sandbox;
  return { allowLoopback: local, requireHttps: !local };
}

export const STRICT_EGRESS: EgressPolicy = { allowLoopback: false, requireHttps: true };

export type EgressRefusal = "invalid_url" | "https_required" | "forbidden_address";

/** Whether a connection to this IP address is allowed. */
export function addressAllowed(ip: string, policy: EgressPolicy): boolean {
  if (!ipaddr.isValid(ip)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into the IPv4 address it carries.
  const range = ipaddr.process(ip).range();
  if (range === "unicast") return true;
  return range === "loopback" && policy.allowLoopback;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === "loopback";
}

/**
 * A platform's base URL as configured: https (http only to loopback where loopback is allowed), no
 * credentials, and an IP literal must itself be an allowed address. Names are checked again on the
 * resolved address at call time (see `guardedLookup`).
 */
export function checkBaseUrl(raw: string, policy: EgressPolicy): { ok: true; url: URL } | { ok: false; reason: EgressRefusal } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid_url" };
  }
  if (url.username || url.password || url.hash || url.search) return { ok: false, reason: "invalid_url" };
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "invalid_url" };
  if (url.protocol === "http:" && (policy.requireHttps || !isLoopbackHost(url.hostname))) return { ok: false, reason: "https_required" };
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(literal) && !addressAllowed(literal, policy)) return { ok: false, reason: "forbidden_address" };
  if (isLoopbackHost(url.hostname) && !policy.allowLoopback) return { ok: false, reason: "forbidden_address" };
  return { ok: true, url };
}

export class ForbiddenAddressError extends Error {
  readonly code = "forbidden_address";
  constructor(readonly address: string) {
    super("The platform's address resolves to a network Reclaim does not call");
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) that refuses forbidden addresses after DNS resolution, on the very
 * address the socket will connect to, so a name that resolves to a public address at configuration
 * time and to 169.254.169.254 later (DNS rebinding) is still refused.
 */
export function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !addressAllowed(a.address, policy));
      if (refused || list.length === 0) return callback(new ForbiddenAddressError(refused?.address ?? hostname), []);
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
