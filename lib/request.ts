import "server-only";
import { headers } from "next/headers";
import { clientAddress, trustedProxyHops } from "./client-ip";
import { env } from "./env";
import { smsHost } from "./sms-host";

/**
 * Facts about the current request that actions need. `ip` is the client's address as the limits
 * key it (lib/client-ip.ts): the socket's peer, or the entry our own outermost proxy wrote into
 * X-Forwarded-For (TRUSTED_PROXY_HOPS), never one a client chose; IPv6 by /64.
 */
export async function requestInfo() {
  const h = await headers();
  const proto = h.get("x-forwarded-proto") ?? (env().AUTH_URL?.startsWith("https:") ? "https" : "http");
  return {
    ip: clientAddress(h, trustedProxyHops()),
    /** Host without port, as the SMS's WebOTP line needs it: from AUTH_URL in production, never a header (lib/sms-host.ts). */
    host: smsHost(env(), h),
    https: proto === "https",
  };
}
