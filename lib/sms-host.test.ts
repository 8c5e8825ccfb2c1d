import { describe, expect, it } from "vitest";
import { smsHost } from "./sms-host";

function headers(values: Record<string, string>) {
  const h = new Headers(values);
  return { get: (name: string) => h.get(name) };
}

const attacker = headers({ host: "evil.example", "x-forwarded-host": "evil.example" });

describe("smsHost (the WebOTP line's host)", () => {
  it("is AUTH_URL's host name in production, whatever Host and X-Forwarded-Host say", () => {
    expect(smsHost({ NODE_ENV: "production", AUTH_URL: "https://reclaim.example.cn" }, attacker)).toBe("reclaim.example.cn");
    expect(smsHost({ NODE_ENV: "production", AUTH_URL: "http://127.0.0.1:3100/" }, attacker)).toBe("127.0.0.1");
  });

  it("never comes from a request header in production, even with AUTH_URL unset", () => {
    expect(smsHost({ NODE_ENV: "production" }, attacker)).not.toContain("evil");
    expect(smsHost({ NODE_ENV: "production", AUTH_URL: "" }, attacker)).toBe("localhost");
  });

  it("is the project's production domain on Vercel without AUTH_URL (then the deployment's own)", () => {
    const vercel = { NODE_ENV: "production", VERCEL: "1", VERCEL_URL: "reclaim-abc123.vercel.app" };
    expect(smsHost({ ...vercel, VERCEL_PROJECT_PRODUCTION_URL: "reclaim.vercel.app" }, attacker)).toBe("reclaim.vercel.app");
    expect(smsHost(vercel, attacker)).toBe("reclaim-abc123.vercel.app");
    expect(smsHost({ ...vercel, AUTH_URL: "https://reclaim.example.cn" }, attacker)).toBe("reclaim.example.cn");
  });

  it("may use the Host header (never X-Forwarded-Host) in development, without its port", () => {
    expect(smsHost({ NODE_ENV: "development" }, headers({ host: "localhost:3000", "x-forwarded-host": "evil.example" }))).toBe("localhost");
    expect(smsHost({ NODE_ENV: "development" }, headers({ host: "[::1]:3000" }))).toBe("[::1]");
    expect(smsHost({ NODE_ENV: "development" }, headers({}))).toBe("localhost");
    expect(smsHost({ NODE_ENV: "development", AUTH_URL: "https://dev.reclaim.test:8443" }, attacker)).toBe("dev.reclaim.test");
  });
});
