import "server-only";
import { headers } from "next/headers";

/**
 * Facts about the current request that actions need. The client IP is the last X-Forwarded-For
 * entry: the one added by the nearest proxy (Vercel, or nginx's $proxy_add_x_forwarded_for), which
 * a client cannot forge. Run the app behind such a proxy: Next.js itself keeps a client's header.
 */
export async function requestInfo() {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? (process.env.AUTH_URL?.startsWith("https:") ? "https" : "http");
  return {
    ip: forwarded || h.get("x-real-ip") || "unknown",
    /** Host without port, as the SMS's WebOTP line needs it. */
    host: (process.env.AUTH_URL ? new URL(process.env.AUTH_URL).host : host).replace(/:\d+$/, ""),
    https: proto === "https",
  };
}
