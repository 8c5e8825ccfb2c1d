import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, DatabaseError } from "@/lib/errors";
import { readCappedBody } from "./body";
import { route } from "./route";

/** A body that would be `total` bytes long, produced chunk by chunk; counts what was pulled. */
function streamOf(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunk, total - sent);
      sent += size;
      stats.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(120));
    },
    cancel() {
      stats.cancelled = true;
    },
  });
  return { stream, stats };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readCappedBody", () => {
  it("refuses a Content-Length over the cap before reading a byte", async () => {
    const { stream, stats } = streamOf(600 * 1024 * 1024);
    const result = await readCappedBody(post(stream, { "content-length": String(600 * 1024 * 1024) }), 20 * 1024);
    expect(result).toMatchObject({ ok: false, status: 413 });
    expect(stats.pulled).toBeLessThanOrEqual(64 * 1024 * 2);
  });

  it("stops a chunked body as soon as it passes the cap, reading no more than the cap and one chunk", async () => {
    const { stream, stats } = streamOf(100 * 1024 * 1024);
    const result = await readCappedBody(post(stream), 20 * 1024);
    expect(result).toMatchObject({ ok: false, status: 413, error: "body_too_large" });
    expect(stats.pulled).toBeLessThan(4 * 64 * 1024);
    expect(stats.cancelled).toBe(true);
  });

  it("reads a body under the cap, and refuses broken UTF-8 or a bad Content-Length with 400", async () => {
    expect(await readCappedBody(post('{"a":"ü"}'), 100)).toMatchObject({ ok: true, text: '{"a":"ü"}' });
    expect(await readCappedBody(post(new Uint8Array([0x7b, 0xff, 0x7d])), 100)).toMatchObject({ ok: false, status: 400 });
    expect(await readCappedBody(post("{}", { "content-length": "-1" }), 100)).toMatchObject({ ok: false, status: 400 });
  });
});

describe("route", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 413 without calling the handler", async () => {
    const handler = vi.fn(async () => Response.json({ ok: true }));
    const { stream } = streamOf(5 * 1024 * 1024);
    const response = await route("test", handler, { maxBodyBytes: 1024 })(post(stream));
    expect(response.status).toBe(413);
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns a database outage into 503 with Retry-After, and any other failure into 500, logging no data", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const down = await route("test", async () => {
      throw new DatabaseError({ code: "57P01", unavailable: true });
    })(post("{}"));
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    const failedQuery = Object.assign(new Error("Failed query: select 1 where number = $1\nparams: +8613800138000"), { name: "DrizzleQueryError" });
    const broken = await route("test", async () => {
      throw failedQuery;
    })(post("{}"));
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ error: "internal", requestId: expect.any(String) });
    expect(log.mock.calls.flat().join(" ")).not.toContain("8613800138000");
  });

  it("answers a thrown AppError with its status, code and details, and logs nothing", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await route("test", async () => {
      throw new AppError("daily_limit:report", { status: 429, details: { retryAfterSeconds: 60 } });
    })(post("{}"));
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: "daily_limit:report", retryAfterSeconds: 60 });
    expect(log).not.toHaveBeenCalled();
  });
});
