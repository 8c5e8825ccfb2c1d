import ipaddr from "ipaddr.js";
import { env } from "./env";

/**
 * Stamped on every incoming request by the server itself (lib/startup.ts) with the socket's peer
 * address, after removing any value a client sent: the one address a client cannot forge.
 */
export const PEER_HEADER = "x-reclaim-peer";

type HeaderGetter = { get(name: string): string | null };

/**
 * The client's address as rate limits key it. `trustedHops` is how many proxies we run in front of
 * the app (TRUSTED_PROXY_HOPS, docs/operations.md): 0 = none, use the socket's peer; N = take the
 * N-th X-Forwarded-For entry from the right, the one the outermost of our proxies wrote. Entries to
 * its left were written by the client and are never trusted. A request that did not pass through
 * all N proxies (fewer entries) is keyed by its peer. IPv6 addresses are keyed by their /64, the
 * block one subscriber usually holds, so rotating addresses within it buys nothing.
 */
export function clientAddress(headers: HeaderGetter, trustedHops: number): string {
  const peer = headers.get(PEER_HEADER)?.trim() || "";
  if (trustedHops > 0) {
    const entries = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.length >= trustedHops) return limitKeyFor(entries[entries.length - trustedHops]!);
  }
  return limitKeyFor(peer || "unknown");
}

/** One address as a limit bucket: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. */
export function limitKeyFor(raw: string): string {
  const value = raw.replace(/^\[|\](:\d+)?$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(value)) return "unknown";
  let address = ipaddr.parse(value);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

/** How many proxies of ours stand in front of the app (TRUSTED_PROXY_HOPS; default 1 on Vercel, else 0). */
export function trustedProxyHops(): number {
  const config = env();
  return config.TRUSTED_PROXY_HOPS ?? (config.VERCEL ? 1 : 0);
}
