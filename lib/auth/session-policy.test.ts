import { afterEach, describe, expect, it, vi } from "vitest";
import { authConfig } from "@/auth.config";
import { pastAbsoluteLimit, SESSION_ABSOLUTE_MS, SESSION_IDLE_SECONDS } from "./session-policy";

type JwtArgs = Parameters<typeof authConfig.callbacks.jwt>[0];
const jwt = (args: Partial<JwtArgs>) => authConfig.callbacks.jwt({ token: {}, ...args } as JwtArgs);

describe("session lifetime", () => {
  afterEach(() => vi.useRealTimers());

  it("is 30 minutes idle (cookie maxAge, renewed on every request) and 12 hours absolute", () => {
    expect(authConfig.session.maxAge).toBe(SESSION_IDLE_SECONDS);
    expect(SESSION_IDLE_SECONDS).toBe(30 * 60);
    expect(authConfig.session.updateAge).toBe(0);
    expect(SESSION_ABSOLUTE_MS).toBe(12 * 3600 * 1000);
    expect(pastAbsoluteLimit(undefined, Date.now())).toBe(true);
  });

  it("carries the owner's number and verification time from sign-in, and ends 12 hours later", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-28T08:00:00Z") });
    const token = await jwt({
      user: { id: "o1", role: "owner", number: "+8613800138000", otpVerifiedAt: "2026-11-28T08:00:00.000Z" },
    });
    expect(token).toMatchObject({ sub: "o1", role: "owner", number: "+8613800138000", otpVerifiedAt: "2026-11-28T08:00:00.000Z" });

    vi.setSystemTime(new Date("2026-11-28T19:59:00Z"));
    expect(await jwt({ token: token! })).not.toBeNull();
    vi.setSystemTime(new Date("2026-11-28T20:01:00Z"));
    expect(await jwt({ token: token! })).toBeNull();
  });

  it("never takes otpVerifiedAt from a client's session update", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-28T08:00:00Z") });
    const owner = await jwt({ user: { id: "o1", role: "owner", number: "+8613800138000", otpVerifiedAt: "a" } });
    const updated = await jwt({ token: owner!, trigger: "update", session: { otpVerifiedAt: "2099-01-01T00:00:00Z" } });
    expect(updated?.otpVerifiedAt).toBe("a");
  });
});
