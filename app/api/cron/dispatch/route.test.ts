import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("@/lib/outbox/runner", () => ({
  defaultDispatchDeps: vi.fn(async () => ({})),
  drain: vi.fn(async () => ({ claimed: 3, delivered: 3, retrying: 0, failed: 0 })),
}));

const { GET } = await import("./route");
const { forgetEnv } = await import("@/lib/env");
const runner = await import("@/lib/outbox/runner");

describe("GET /api/cron/dispatch", () => {
  afterEach(() => {
    delete process.env.CRON_SECRET;
    forgetEnv();
    vi.mocked(runner.drain).mockClear();
  });

  it("refuses every caller while CRON_SECRET is not configured", async () => {
    const response = await GET(new Request("http://app/api/cron/dispatch", { headers: { authorization: "Bearer " } }));
    expect(response.status).toBe(401);
    expect(runner.drain).not.toHaveBeenCalled();
  });

  it("refuses a missing or wrong bearer token and dispatches with the right one", async () => {
    process.env.CRON_SECRET = "cron-secret-for-tests";
    forgetEnv();
    expect((await GET(new Request("http://app/api/cron/dispatch"))).status).toBe(401);
    expect((await GET(new Request("http://app/api/cron/dispatch", { headers: { authorization: "Bearer cron-secret-for-testz" } }))).status).toBe(401);
    expect(runner.drain).not.toHaveBeenCalled();
    const ok = await GET(new Request("http://app/api/cron/dispatch", { headers: { authorization: "Bearer cron-secret-for-tests" } }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ claimed: 3, delivered: 3, retrying: 0, failed: 0 });
    expect(runner.drain).toHaveBeenCalledTimes(1);
  });
});
