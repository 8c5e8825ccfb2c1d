import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import ipaddr from "ipaddr.js";
import { env, type Env } from "@/lib/env";

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

export function egressPolicy({ local }: Pick<Env, "local"> = env()): EgressPolicy {
  return { allowLoopback: local, requireHttps: !local };
}

export const STRICT_EGRESS: EgressPolicy = { allowLoopback: false, requireHttps: true };

export type EgressRefusal = "invalid_url" | "https_required" | "forbidden_address";

/**
 * The address as it will be judged: an IPv6 address that carries an IPv4 one is judged as that IPv4
 * address. ipaddr.js's process() decodes IPv4-mapped ::ffff:a.b.c.d; the deprecated IPv4-compatible
 * form ::a.b.c.d (::/96, e.g. [::127.0.0.1] = [::7f00:1], [::a9fe:a9fe] = 169.254.169.254) it calls
 * plain "unicast", so it is decoded here. :: and ::1 are themselves (unspecified, loopback).
 */
function effectiveAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.process(ip);
  if (parsed.kind() !== "ipv6") return parsed;
  const parts = (parsed as ipaddr.IPv6).parts;
  const compatible = parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7]! > 1);
  if (!compatible) return parsed;
  return new ipaddr.IPv4([parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff]);
}

/** Whether a connection to this IP address is allowed. */
export function addressAllowed(ip: string, policy: EgressPolicy): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const range = effectiveAddress(ip).range();
  if (range === "unicast") return true;
  return range === "loopback" && policy.allowLoopback;
}

function isLoopbackHost(hostname: string): boolean {
  // "localhost." is the same name as "localhost" (the root label); one trailing dot goes. The URL
  // parser has already lower-cased the name.
  const host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return ipaddr.isValid(host) && effectiveAddress(host).range() === "loopback";
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
