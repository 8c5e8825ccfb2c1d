import "server-only";
import { headers } from "next/headers";

/**
 * Facts about the current request that actions need. The client IP comes from the first
 * X-Forwarded-For hop (set by Vercel or the reverse proxy in front of the app).
 */
export async function requestInfo() {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? (process.env.AUTH_URL?.startsWith("https:") ? "https" : "http");
  return {
    ip: forwarded || h.get("x-real-ip") || "unknown",
    /** Host without port, as the SMS's WebOTP line needs it. */
    host: (process.env.AUTH_URL ? new URL(process.env.AUTH_URL).host : host).replace(/:\d+$/, ""),
    https: proto === "https",
  };
}
