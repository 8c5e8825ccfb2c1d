import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { callPartner, failureLabel, MAX_BODY_BYTES, retryAfterSeconds, type CallResult, type PartnerEndpoint } from "@/lib/platforms/client";
import { checkBaseUrl, STRICT_EGRESS, type EgressPolicy } from "@/lib/platforms/egress";
import { generateSecret, signatureHeaders, verify } from "@/lib/platforms/signing";

// Host names the resolver answers with a fixed address, to play a platform whose name resolves
// (or is re-pointed, DNS rebinding) to a network Reclaim must not call. Other names resolve normally.
const fakeDns = vi.hoisted(
  () =>
    new Map<string, string>([
      ["rebound.partner.test", "127.0.0.1"],
      ["metadata.partner.test", "169.254.169.254"],
      ["keep.localhost", "127.0.0.1"],
      ["other.localhost", "127.0.0.1"],
      ["rebinding.localhost", "169.254.169.254"],
    ]),
);
// How often each name was resolved: once per new connection.
const resolved = vi.hoisted(() => new Map<string, number>());

vi.mock("node:dns", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns")>();
  const lookup = ((hostname: string, options: import("node:dns").LookupOptions, callback: (...args: unknown[]) => void) => {
    resolved.set(hostname, (resolved.get(hostname) ?? 0) + 1);
    const address = fakeDns.get(hostname);
    if (!address) return real.lookup(hostname, options, callback as never);
    if (options.all) callback(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  }) as typeof real.lookup;
  return { ...real, default: { ...real, lookup }, lookup };
});

const DEV: EgressPolicy = { allowLoopback: true, requireHttps: false };
const secret = generateSecret();
const previousSecret = generateSecret();
const payload = { number: "+8613800138000", requested_at: "2025-03-01T12:00:00Z" };

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: http.Server;
let baseUrl: string;
const sockets = new Set<Socket>();
const routes = new Map<string, Handler>();
let received: Received[] = [];
let connections = 0;

function json(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

/** An answer signed the way a platform signs its look-up answers: under the request's webhook-id. */
function signedAnswer(signWith: string | string[], body: string, id?: string): Handler {
  return (req, res) => json(res, 200, body, signatureHeaders(signWith, body, { id: id ?? String(req.headers["webhook-id"]) }));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://x").pathname;
      received.push({ method: req.method ?? "", path, headers: req.headers, body });
      const handler = routes.get(path);
      if (handler) handler(req, res, body);
      else json(res, 404, '{"error":"not_found"}');
    });
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  routes.clear();
});

function endpoint(overrides: Partial<PartnerEndpoint> = {}): PartnerEndpoint {
  return { slug: "acme-chat", baseUrl, signingSecrets: [secret, previousSecret], ...overrides };
}

function call(path: string, options: Partial<Parameters<typeof callPartner>[3]> = {}, target: PartnerEndpoint = endpoint()): Promise<CallResult> {
  return callPartner(target, path, payload, { timeoutMs: 2000, policy: DEV, ...options });
}

function failure(result: CallResult) {
  if (result.ok) throw new Error(`Expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe("callPartner: the request", () => {
  it("POSTs the JSON payload with Standard Webhooks headers signed with the first secret", async () => {
    let serverCheck: ReturnType<typeof verify> | undefined;
    let onlyPreviousCheck: ReturnType<typeof verify> | undefined;
    routes.set("/lookup", (req, res, body) => {
      serverCheck = verify(secret, req.headers, body);
      onlyPreviousCheck = verify(previousSecret, req.headers, body);
      json(res, 200, "{}");
    });

    const result = await call("/lookup");
    expect(result.ok).toBe(true);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual(payload);
    expect(request!.headers["content-length"]).toBe(String(Buffer.byteLength(request!.body)));
    expect(serverCheck).toMatchObject({ ok: true });
    expect(serverCheck!.ok && serverCheck!.id).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(onlyPreviousCheck).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("sends the webhook-id given in the options unchanged", async () => {
    routes.set("/lookup", (req, res, body) => {
      const check = verify(secret, req.headers, body);
      json(res, 200, JSON.stringify({ seen: check.ok ? check.id : null }));
    });
    const result = await call("/lookup", { id: "msg_idempotency_key_42" });
    expect(received[0]!.headers["webhook-id"]).toBe("msg_idempotency_key_42");
    expect(result).toMatchObject({ ok: true, body: { seen: "msg_idempotency_key_42" } });
  });

  it("gives each call its own webhook-id when none is given", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    await call("/lookup");
    await call("/lookup");
    expect(received).toHaveLength(2);
    expect(received[0]!.headers["webhook-id"]).not.toBe(received[1]!.headers["webhook-id"]);
  });

  it("appends the path to the base URL's own path", async () => {
    routes.set("/partner/v1/lookup", (_req, res) => json(res, 200, "{}"));
    const result = await call("/lookup", {}, endpoint({ baseUrl: `${baseUrl}/partner/v1/` }));
    expect(result.ok).toBe(true);
    expect(received.map((r) => r.path)).toEqual(["/partner/v1/lookup"]);
  });

  it("throws for a request body over 20 kB, before sending anything", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    const big = { blob: "x".repeat(MAX_BODY_BYTES) };
    await expect(callPartner(endpoint(), "/lookup", big, { timeoutMs: 2000, policy: DEV })).rejects.toThrow(/over 20480 bytes/);
    expect(received).toHaveLength(0);
  });
});

describe("callPartner: answers", () => {
  it("returns the parsed body, status and latency of a signed 200 answer when verifying answers", async () => {
    routes.set("/lookup", signedAnswer(secret, '{"registered":true,"account_hint":"a***e"}'));
    const result = await call("/lookup", { verifyAnswer: true });
    expect(result).toEqual({ ok: true, status: 200, body: { registered: true, account_hint: "a***e" }, latencyMs: expect.any(Number) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(2000);
  });

  it("accepts an answer signed with the previous secret during a rotation", async () => {
    routes.set("/lookup", signedAnswer(previousSecret, '{"registered":false}'));
    expect(await call("/lookup", { verifyAnswer: true })).toMatchObject({ ok: true, body: { registered: false } });
  });

  it("refuses an unsigned answer as bad_signature when verifying answers, and accepts it otherwise", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, '{"registered":true}'));
    expect(failure(await call("/lookup", { verifyAnswer: true }))).toMatchObject({ error: "bad_signature", status: 200 });
    expect(await call("/lookup")).toMatchObject({ ok: true, body: { registered: true } });
  });

  it("refuses a correctly signed answer made for another request (a different webhook-id)", async () => {
    routes.set("/lookup", signedAnswer(secret, '{"registered":true}', "msg_some_other_request"));
    expect(failure(await call("/lookup", { verifyAnswer: true }))).toMatchObject({ error: "bad_signature" });
  });

  it("refuses an answer signed with a secret the platform was not given", async () => {
    routes.set("/lookup", signedAnswer(generateSecret(), '{"registered":true}'));
    expect(failure(await call("/lookup", { verifyAnswer: true }))).toMatchObject({ error: "bad_signature" });
  });

  it("refuses an answer whose body differs from what was signed", async () => {
    routes.set("/lookup", (req, res) => {
      const headers = signatureHeaders(secret, '{"registered":false}', { id: String(req.headers["webhook-id"]) });
      json(res, 200, '{"registered":true}', headers);
    });
    expect(failure(await call("/lookup", { verifyAnswer: true }))).toMatchObject({ error: "bad_signature" });
  });

  it("treats an empty 2xx body as null", async () => {
    routes.set("/unbind", (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    expect(await call("/unbind")).toMatchObject({ ok: true, status: 204, body: null });
  });

  it("refuses an answer that is not JSON as invalid_json", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "<html>oops</html>"));
    expect(failure(await call("/lookup"))).toMatchObject({ error: "invalid_json", status: 200 });
  });

  it("refuses an answer over 20 kB as body_too_large", async () => {
    const huge = JSON.stringify({ blob: "x".repeat(MAX_BODY_BYTES + 10_000) });
    routes.set("/lookup", (_req, res) => json(res, 200, huge));
    expect(failure(await call("/lookup"))).toMatchObject({ error: "body_too_large", status: 200 });
  });

  it("accepts an answer just under the size limit", async () => {
    const body = JSON.stringify({ blob: "x".repeat(MAX_BODY_BYTES - 100) });
    routes.set("/lookup", (_req, res) => json(res, 200, body));
    expect(await call("/lookup")).toMatchObject({ ok: true, status: 200 });
  });
});

describe("callPartner: failures", () => {
  it.each([301, 302, 307, 308])("does not follow a %i redirect", async (status) => {
    let targetHits = 0;
    routes.set("/target", (_req, res) => {
      targetHits++;
      json(res, 200, "{}");
    });
    routes.set("/lookup", (_req, res) => {
      res.writeHead(status, { location: `${baseUrl}/target` });
      res.end();
    });
    const result = failure(await call("/lookup"));
    expect(result).toMatchObject({ error: "redirect", status });
    expect(failureLabel(result)).toBe("redirect");
    // Give a follow-up request, if any were made, time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(targetHits).toBe(0);
    expect(received.map((r) => r.path)).toEqual(["/lookup"]);
  });

  it("reports a 503 as http_status with its status, labelled http_503", async () => {
    routes.set("/lookup", (_req, res) => json(res, 503, '{"error":"maintenance"}'));
    const result = failure(await call("/lookup"));
    expect(result).toMatchObject({ error: "http_status", status: 503, retryAfterSeconds: undefined });
    expect(failureLabel(result)).toBe("http_503");
  });

  it("reports an error status even when the answer is correctly signed", async () => {
    routes.set("/lookup", (_req, res) => json(res, 500, "{}", signatureHeaders(secret, "{}", { id: "msg_answer" })));
    expect(failure(await call("/lookup", { verifyAnswer: true }))).toMatchObject({ error: "http_status", status: 500 });
  });

  it("passes on Retry-After seconds of a 429", async () => {
    routes.set("/lookup", (_req, res) => json(res, 429, '{"error":"slow_down"}', { "retry-after": "7" }));
    const result = failure(await call("/lookup"));
    expect(result).toMatchObject({ error: "http_status", status: 429, retryAfterSeconds: 7 });
    expect(failureLabel(result)).toBe("http_429");
  });

  it("ignores a Retry-After that is not a number of seconds", async () => {
    routes.set("/lookup", (_req, res) => json(res, 429, "{}", { "retry-after": "soon" }));
    expect(failure(await call("/lookup")).retryAfterSeconds).toBeUndefined();
  });

  it("gives up on a platform that never answers after about timeoutMs", async () => {
    routes.set("/lookup", () => {
      // Never answer.
    });
    const started = performance.now();
    const result = failure(await call("/lookup", { timeoutMs: 200 }));
    const took = performance.now() - started;
    expect(result.error).toBe("timeout");
    expect(failureLabel(result)).toBe("timeout");
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1000);
    expect(received).toHaveLength(1);
  });

  it("reports an answer cut off mid-body as network, without waiting for the timeout", async () => {
    routes.set("/lookup", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"registered":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const result = failure(await call("/lookup", { timeoutMs: 2000 }));
    expect(result.error).toBe("network");
    expect(result.latencyMs).toBeLessThan(1000);
  });

  it("reports a refused connection as network", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = failure(await call("/lookup", {}, endpoint({ baseUrl: `http://127.0.0.1:${port}` })));
    expect(result.error).toBe("network");
    expect(failureLabel(result)).toBe("network");
  });

  it("refuses a loopback base URL under the strict policy without sending anything", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    const port = (server.address() as AddressInfo).port;

    const overHttp = failure(await call("/lookup", { policy: STRICT_EGRESS }));
    expect(overHttp).toMatchObject({ error: "https_required", latencyMs: 0 });
    const overHttps = failure(await call("/lookup", { policy: STRICT_EGRESS }, endpoint({ baseUrl: `https://127.0.0.1:${port}` })));
    expect(overHttps).toMatchObject({ error: "forbidden_address", latencyMs: 0 });
    const byName = failure(await call("/lookup", { policy: STRICT_EGRESS }, endpoint({ baseUrl: `https://localhost:${port}` })));
    expect(byName.error).toBe("forbidden_address");

    expect(received).toHaveLength(0);
  });

  it.each(["rebound.partner.test", "metadata.partner.test"])(
    "refuses %s, a name that passes the URL check but resolves to a forbidden address, at connection time",
    async (host) => {
      const port = (server.address() as AddressInfo).port;
      const target = endpoint({ baseUrl: `https://${host}:${port}` });
      // The configured URL looks fine: only the check on the resolved address stops the call.
      expect(checkBaseUrl(target.baseUrl, STRICT_EGRESS).ok).toBe(true);
      const result = failure(await call("/lookup", { policy: STRICT_EGRESS }, target));
      expect(result.error).toBe("forbidden_address");
      expect(failureLabel(result)).toBe("forbidden_address");
      expect(received).toHaveLength(0);
    },
  );

  it("refuses an endpoint without any signing secret", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    const result = failure(await call("/lookup", {}, endpoint({ signingSecrets: [] })));
    expect(result).toMatchObject({ error: "no_secret", latencyMs: 0 });
    expect(failureLabel(result)).toBe("no_secret");
    expect(received).toHaveLength(0);
  });

  it("refuses an invalid base URL", async () => {
    expect(failure(await call("/lookup", {}, endpoint({ baseUrl: "not a url" })))).toMatchObject({ error: "invalid_url" });
  });
});

describe("callPartner: kept-alive connections keep the address check", () => {
  const at = (host: string) => endpoint({ baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` });

  it("reuses one connection, resolved and checked once, for calls to the same host and port", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    const before = connections;
    for (let i = 0; i < 3; i++) expect(await call("/lookup", {}, at("keep.localhost"))).toMatchObject({ ok: true });
    expect(connections - before).toBe(1);
    expect(resolved.get("keep.localhost")).toBe(1);
  });

  it("opens and checks a new connection for another host name, even at the same address and port", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    expect(await call("/lookup", {}, at("keep.localhost"))).toMatchObject({ ok: true });
    const before = connections;
    expect(await call("/lookup", {}, at("other.localhost"))).toMatchObject({ ok: true });
    expect(connections - before).toBe(1);
    expect(resolved.get("other.localhost")).toBe(1);
  });

  it("refuses a name that resolves to a forbidden address although a checked connection to that port is pooled", async () => {
    routes.set("/lookup", (_req, res) => json(res, 200, "{}"));
    expect(await call("/lookup", {}, at("keep.localhost"))).toMatchObject({ ok: true }); // a free socket to 127.0.0.1:port
    received = [];
    const result = failure(await call("/lookup", {}, at("rebinding.localhost")));
    expect(result.error).toBe("forbidden_address");
    expect(resolved.get("rebinding.localhost")).toBe(1);
    expect(received).toHaveLength(0);
  });

  it("sends once more on a new connection when the platform drops a kept-alive one as it is reused", async () => {
    const ids: string[] = [];
    routes.set("/drop-once", (req, res) => {
      ids.push(String(req.headers["webhook-id"]));
      // The second request arrives on the pooled connection and the server drops it unanswered.
      if (ids.length === 2) req.socket.destroy();
      else json(res, 200, "{}");
    });
    expect(await call("/drop-once", { id: "msg_first" }, at("keep.localhost"))).toMatchObject({ ok: true });
    expect(await call("/drop-once", { id: "msg_same" }, at("keep.localhost"))).toMatchObject({ ok: true });
    expect(ids).toEqual(["msg_first", "msg_same", "msg_same"]);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates, and ignores an empty or unreadable value", () => {
    const now = Date.parse("2026-11-29T04:00:00Z");
    expect(retryAfterSeconds("7", now)).toBe(7);
    expect(retryAfterSeconds("Sun, 29 Nov 2026 04:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("Sun, 29 Nov 2026 03:00:00 GMT", now)).toBe(0);
    expect(retryAfterSeconds("", now)).toBeUndefined();
    expect(retryAfterSeconds("soon", now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});
