import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { advanceTestClock, appClock } from "./clock";
import { CLOCK_SCOPE_COOKIE, installClockScopes, runInClockScope, scopeFromCookieHeader } from "./clock-scope";

describe("browser-scoped test clock", () => {
  beforeAll(() => {
    vi.stubEnv("RECLAIM_TEST_CLOCK", "1");
    vi.stubEnv("NODE_ENV", "test");
  });
  afterAll(() => vi.unstubAllEnvs());

  it("reads the scope from the cookie only when it is well-formed", () => {
    expect(scopeFromCookieHeader(`a=1; ${CLOCK_SCOPE_COOKIE}=e2e-0123456789abcdef; b=2`)).toBe("e2e-0123456789abcdef");
    for (const bad of [undefined, "", `${CLOCK_SCOPE_COOKIE}=short`, `${CLOCK_SCOPE_COOKIE}=has space inside it`, `${CLOCK_SCOPE_COOKIE}=${"x".repeat(65)}`]) {
      expect(scopeFromCookieHeader(bad), String(bad)).toBeUndefined();
    }
  });

  it("moves only the scope's clock when asked from inside it, and the server's from outside", () => {
    const outside = () => appClock().now().getTime() - Date.now();
    const start = outside();
    const moved = runInClockScope("scope-aaaaaaaa", () => advanceTestClock(60 * 60_000));
    expect(moved).toEqual({ offsetMs: 60 * 60_000, scope: "browser" });
    expect(runInClockScope("scope-aaaaaaaa", () => appClock().now().getTime() - Date.now()) - start).toBeGreaterThanOrEqual(60 * 60_000 - 50);
    expect(runInClockScope("scope-bbbbbbbb", () => appClock().now().getTime() - Date.now()) - start).toBeLessThan(1_000);
    expect(outside() - start).toBeLessThan(1_000);

    const server = advanceTestClock(1_000);
    expect(server.scope).toBe("server");
    // The server's offset applies in every scope, under the scope's own.
    expect(runInClockScope("scope-aaaaaaaa", () => appClock().now().getTime() - Date.now()) - start).toBeGreaterThanOrEqual(60 * 60_000 + 1_000 - 50);
    expect(outside() - start).toBeGreaterThanOrEqual(1_000 - 50);
  });

  it("serves each HTTP request in the scope its cookie names, once installed", async () => {
    installClockScopes();
    runInClockScope("scope-cccccccc", () => advanceTestClock(24 * 3600_000));
    const server = http.createServer((_req, res) => {
      // Read later in the request, after an await: the scope follows the request's async work.
      void new Promise((r) => setTimeout(r, 5)).then(() => res.end(String(appClock().now().getTime() - Date.now())));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const scoped = Number(await (await fetch(url, { headers: { cookie: `${CLOCK_SCOPE_COOKIE}=scope-cccccccc` } })).text());
      const plain = Number(await (await fetch(url)).text());
      expect(scoped - plain).toBeGreaterThanOrEqual(24 * 3600_000 - 50);
      expect(scoped - plain).toBeLessThan(24 * 3600_000 + 1_000);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
