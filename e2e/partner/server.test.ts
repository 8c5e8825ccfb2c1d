import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OWNER_NUMBER, platformSeed, sandboxBindings, sandboxSigningSecret } from "@/db/seed-data";
import { generateSecret, signatureHeaders, verify } from "@/lib/platforms/signing";
import { MAX_BODY_BYTES, startPartnerServer, type PartnerServer } from "./server";

/*
 * The reference partner server (the platforms' side of partner protocol v1, docs/partner-api.md),
 * exercised over real HTTP with plain fetch, as Reclaim and the end-to-end tests talk to it.
 */

const TENURE_START = "2026-03-15T02:30:00.000Z";
/** Bound on alpha and gamma before the tenure, on beta after it. */
const NUMBER = "+8613900000001";
/** Bound on alpha exactly at the tenure start, on beta 1 ms before it (written in +08:00). */
const EDGE_NUMBER = "+8613900000002";
/** Bound on beta only. */
const BETA_ONLY_NUMBER = "+8613900000003";
const UNBOUND_NUMBER = "+8613900000009";

const secrets = { alpha: generateSecret(), beta: generateSecret(), gamma: generateSecret() };
type Slug = keyof typeof secrets | "nope";

const bindings: Record<string, Record<string, string>> = {
  [NUMBER]: { alpha: "2020-01-01T00:00:00.000Z", beta: "2026-04-01T00:00:00.000Z", gamma: "2019-05-05T00:00:00.000Z" },
  [EDGE_NUMBER]: { alpha: TENURE_START, beta: "2026-03-15T10:29:59.999+08:00" },
  [BETA_ONLY_NUMBER]: { beta: "2018-01-01T00:00:00.000Z" },
};

let randomValue = 0.5;
let server: PartnerServer;
let idCounter = 0;

function newId() {
  idCounter += 1;
  return `msg_test_${idCounter}_${Date.now()}`;
}

interface SendOptions {
  /** Secret to sign with; `null` sends no signature headers. Defaults to the platform's own secret. */
  secret?: string | null;
  id?: string;
  /** When the signature claims to have been made. */
  signedAt?: Date;
  /** Sign this text but send `body` (tampering). */
  signedBody?: string;
  path?: string;
  signal?: AbortSignal;
  base?: string;
}

interface Sent {
  res: Response;
  text: string;
  json: Record<string, unknown>;
  id: string;
  elapsedMs: number;
}

/** A POST to `/{slug}/lookup` (or `path`), signed the way Reclaim signs it unless told otherwise. */
async function send(slug: Slug, body: unknown, options: SendOptions = {}): Promise<Sent> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const id = options.id ?? newId();
  const secret = options.secret === undefined ? (slug === "nope" ? secrets.alpha : secrets[slug]) : options.secret;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) Object.assign(headers, signatureHeaders(secret, options.signedBody ?? text, { id, now: options.signedAt }));
  const started = performance.now();
  const res = await fetch(`${options.base ?? server.url}/${slug}${options.path ?? "/lookup"}`, {
    method: "POST",
    headers,
    body: text,
    signal: options.signal,
  });
  const answer = await res.text();
  const elapsedMs = performance.now() - started;
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(answer) as Record<string, unknown>;
  } catch {
    // Left empty; tests that care assert on `text`.
  }
  return { res, text: answer, json, id, elapsedMs };
}

function lookupBody(number: string = NUMBER, tenureStart: string = TENURE_START) {
  return { number, tenureStart };
}

async function control(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${path}`, init);
  return { res, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startPartnerServer({
    platforms: [
      { slug: "alpha", secret: secrets.alpha },
      { slug: "beta", secret: secrets.beta },
      // Starts misbehaving, so that reset() has something to restore.
      { slug: "gamma", secret: secrets.gamma, knobs: { errorRate: 1 } },
    ],
    bindings,
    random: () => randomValue,
  });
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => {
  server.reset();
  randomValue = 0.5;
});

describe("a correctly signed look-up", () => {
  it("answers bound_before_tenure for an account created before tenureStart, signed under the request's id", async () => {
    const { res, text, json, id } = await send("alpha", lookupBody());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(json).toEqual({ status: "bound_before_tenure" });
    expect(res.headers.get("webhook-id")).toBe(id);
    expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id });
    // The answer is tied to this platform's secret, not just any.
    expect(verify(secrets.beta, res.headers, text)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("answers bound_since_tenure for an account created after tenureStart", async () => {
    const { res, text, json, id } = await send("beta", lookupBody());
    expect(res.status).toBe(200);
    expect(json).toEqual({ status: "bound_since_tenure" });
    expect(res.headers.get("webhook-id")).toBe(id);
    expect(verify(secrets.beta, res.headers, text)).toMatchObject({ ok: true, id });
  });

  it("answers not_bound when the number has no account, and signs that answer too", async () => {
    const { res, text, json, id } = await send("alpha", lookupBody(UNBOUND_NUMBER));
    expect(res.status).toBe(200);
    expect(json).toEqual({ status: "not_bound" });
    expect(res.headers.get("webhook-id")).toBe(id);
    expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id });
  });

  it("looks only at the asked platform's own account records", async () => {
    // Bound on beta, not on alpha.
    expect((await send("alpha", lookupBody(BETA_ONLY_NUMBER))).json).toEqual({ status: "not_bound" });
    expect((await send("beta", lookupBody(BETA_ONLY_NUMBER))).json).toEqual({ status: "bound_before_tenure" });
  });

  it("compares instants strictly: bound exactly at tenureStart is the owner's own, 1 ms before (in +08:00) is not", async () => {
    expect((await send("alpha", lookupBody(EDGE_NUMBER))).json).toEqual({ status: "bound_since_tenure" });
    expect((await send("beta", lookupBody(EDGE_NUMBER))).json).toEqual({ status: "bound_before_tenure" });
  });

  it("uses the tenureStart of the request (the same account flips with a later tenure)", async () => {
    // beta's account on NUMBER dates from 2026-04-01.
    expect((await send("beta", lookupBody(NUMBER, "2026-05-01T00:00:00.000Z"))).json).toEqual({ status: "bound_before_tenure" });
  });

  it("ignores fields it does not know, for a body just under the size limit", async () => {
    const body = { ...lookupBody(), later: "x".repeat(MAX_BODY_BYTES - 500) };
    expect(JSON.stringify(body).length).toBeLessThan(MAX_BODY_BYTES);
    const { res, json } = await send("alpha", body);
    expect(res.status).toBe(200);
    expect(json).toEqual({ status: "bound_before_tenure" });
  });
});

describe("requests whose signature does not verify", () => {
  const cases: [string, SendOptions, string][] = [
    ["unsigned", { secret: null }, "missing_headers"],
    ["signed with a wrong secret", { secret: generateSecret() }, "bad_signature"],
    ["with a tampered body", { signedBody: JSON.stringify(lookupBody(UNBOUND_NUMBER)) }, "bad_signature"],
    ["with a stale timestamp (6 min old)", { signedAt: new Date(Date.now() - 6 * 60_000) }, "stale"],
    ["with a timestamp 6 min in the future", { signedAt: new Date(Date.now() + 6 * 60_000) }, "future"],
  ];

  it.each(cases)("are refused with 401 bad_signature when %s, with no status", async (_label, options, reason) => {
    // NUMBER is bound on alpha: a status in the answer would leak it.
    const { res, json } = await send("alpha", lookupBody(), options);
    expect(res.status).toBe(401);
    expect(json).toEqual({ error: "bad_signature", reason });
    expect(json).not.toHaveProperty("status");
    expect(res.headers.get("webhook-signature")).toBeNull();
    expect(server.stats().rejectedSignatures).toBe(1);
  });

  it("are all counted in rejectedSignatures, and a good request is not", async () => {
    for (const [, options] of cases) expect((await send("alpha", lookupBody(), options)).res.status).toBe(401);
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
    expect(server.stats().rejectedSignatures).toBe(cases.length);
    expect(server.stats().requests["alpha /lookup"]).toBe(cases.length + 1);
  });

  it("are refused before any knob applies (hang, errorRate, latency)", async () => {
    server.setKnobs("alpha", { hang: true });
    const hung = await send("alpha", lookupBody(), { secret: null, signal: AbortSignal.timeout(5_000) });
    expect(hung.res.status).toBe(401);

    server.setKnobs("alpha", { errorRate: 1, latencyMs: 2_000 });
    const failing = await send("alpha", lookupBody(), { secret: generateSecret() });
    expect(failing.res.status).toBe(401);
    expect(failing.elapsedMs).toBeLessThan(1_500);
  });
});

describe("malformed requests", () => {
  it("answers 400 invalid_body for a number that is not E.164", async () => {
    const { res, json } = await send("alpha", { number: "12345", tenureStart: TENURE_START });
    expect(res.status).toBe(400);
    expect(json).toEqual({ error: "invalid_body" });
  });

  it("answers 400 invalid_body when tenureStart is missing or not a date", async () => {
    const missing = await send("alpha", { number: NUMBER });
    expect(missing.res.status).toBe(400);
    expect(missing.json).toEqual({ error: "invalid_body" });

    const notADate = await send("alpha", { number: NUMBER, tenureStart: "not a date" });
    expect(notADate.res.status).toBe(400);
    expect(notADate.json).toEqual({ error: "invalid_body" });
  });

  it("answers 400 invalid_json for a signed body that is not JSON", async () => {
    const { res, json } = await send("alpha", "this is {not json");
    expect(res.status).toBe(400);
    expect(json).toEqual({ error: "invalid_json" });
  });

  it("answers 404 unknown_platform for a slug it does not serve", async () => {
    const { res, json } = await send("nope", lookupBody());
    expect(res.status).toBe(404);
    expect(json).toEqual({ error: "unknown_platform" });
  });

  it("answers 404 unknown_endpoint for a path a platform does not serve", async () => {
    const { res, json } = await send("alpha", lookupBody(), { path: "/unbind" });
    expect(res.status).toBe(404);
    expect(json).toEqual({ error: "unknown_endpoint" });
  });

  it("answers 405 method_not_allowed to GET", async () => {
    const res = await fetch(`${server.url}/alpha/lookup`);
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: "method_not_allowed" });
  });

  it("answers 413 body_too_large to a body over 20 kB, even when signed", async () => {
    const body = { ...lookupBody(), padding: "x".repeat(MAX_BODY_BYTES + 4_000) };
    const { res, json } = await send("alpha", body);
    expect(res.status).toBe(413);
    expect(json).toEqual({ error: "body_too_large" });
    expect(json).not.toHaveProperty("status");
  });
});

describe("knobs", () => {
  it("latencyMs as a number delays the answer by at least that much", async () => {
    server.setKnobs("alpha", { latencyMs: 300 });
    const { res, json, elapsedMs } = await send("alpha", lookupBody());
    expect(res.status).toBe(200);
    expect(json).toEqual({ status: "bound_before_tenure" });
    expect(elapsedMs).toBeGreaterThanOrEqual(295);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it("latencyMs as {min, max} waits min + random·(max − min): the midpoint for random 0.5", async () => {
    server.setKnobs("alpha", { latencyMs: { min: 100, max: 900 } });
    const { res, elapsedMs } = await send("alpha", lookupBody());
    expect(res.status).toBe(200);
    expect(elapsedMs).toBeGreaterThanOrEqual(495);
    expect(elapsedMs).toBeLessThan(880);
  });

  it("latency applies only to the platform it was set on", async () => {
    server.setKnobs("alpha", { latencyMs: 1_500 });
    const { res, elapsedMs } = await send("beta", lookupBody());
    expect(res.status).toBe(200);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it("errorRate 1 answers 503 unavailable, unsigned and without a status", async () => {
    server.setKnobs("alpha", { errorRate: 1 });
    const { res, json } = await send("alpha", lookupBody());
    expect(res.status).toBe(503);
    expect(json).toEqual({ error: "unavailable" });
    expect(res.headers.get("webhook-signature")).toBeNull();
  });

  it("errorRate is a share: a request fails when random() falls below it", async () => {
    server.setKnobs("alpha", { errorRate: 0.4 });
    randomValue = 0.5;
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
    randomValue = 0.3;
    expect((await send("alpha", lookupBody())).res.status).toBe(503);
  });

  it("hang takes the request and never answers", async () => {
    server.setKnobs("alpha", { hang: true });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 300);
    let answered: number | undefined;
    const started = performance.now();
    try {
      const error = await send("alpha", lookupBody(), { signal: controller.signal }).then(
        (sent) => {
          answered = sent.res.status;
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(answered).toBeUndefined();
      expect(error).toMatchObject({ name: "AbortError" });
      expect(controller.signal.aborted).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      // It did arrive and pass the signature check; it just was not answered.
      expect(server.stats()).toEqual({ requests: { "alpha /lookup": 1 }, rejectedSignatures: 0 });
    } finally {
      clearTimeout(timer);
    }
  });

  it("badSignature answers 200 with a signature that does not verify with the platform secret", async () => {
    server.setKnobs("alpha", { badSignature: true });
    const { res, text, json, id } = await send("alpha", lookupBody());
    expect(res.status).toBe(200);
    expect(json).toEqual({ status: "bound_before_tenure" });
    // Well-formed headers under the request's id, just the wrong key.
    expect(res.headers.get("webhook-id")).toBe(id);
    expect(res.headers.get("webhook-signature")).toMatch(/^v1,/);
    expect(verify(secrets.alpha, res.headers, text)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it('setKnobs("*", …) applies to every platform, and setKnobs replaces rather than merges', async () => {
    server.setKnobs("*", { errorRate: 1 });
    for (const slug of ["alpha", "beta", "gamma"] as const) expect((await send(slug, lookupBody())).res.status).toBe(503);

    server.setKnobs("alpha", { latencyMs: 1 });
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
    expect((await send("beta", lookupBody())).res.status).toBe(503);
  });

  it("reset() restores the initial knobs and clears the stats", async () => {
    // gamma starts with errorRate 1.
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
    server.setKnobs("gamma", {});
    server.setKnobs("alpha", { errorRate: 1 });
    expect((await send("gamma", lookupBody())).json).toEqual({ status: "bound_before_tenure" });
    expect((await send("alpha", lookupBody())).res.status).toBe(503);
    await send("alpha", lookupBody(), { secret: null });
    expect(server.stats().rejectedSignatures).toBe(1);

    server.reset();
    expect(server.stats()).toEqual({ requests: {}, rejectedSignatures: 0 });
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
  });

  it("reset() restores initial knobs after a setKnobs(\"*\", …) too", async () => {
    server.setKnobs("*", {});
    expect((await send("gamma", lookupBody())).res.status).toBe(200);
    server.reset();
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
  });
});

describe("stats", () => {
  it('counts requests per "slug /path", refused signatures included', async () => {
    await send("alpha", lookupBody());
    await send("alpha", lookupBody(UNBOUND_NUMBER));
    await send("beta", lookupBody());
    await send("beta", lookupBody(), { secret: null });
    await send("alpha", lookupBody(), { path: "/unbind" });
    expect(server.stats()).toEqual({
      requests: { "alpha /lookup": 2, "beta /lookup": 2, "alpha /unbind": 1 },
      rejectedSignatures: 1,
    });
  });

  it("returns a snapshot that callers cannot change", async () => {
    await send("alpha", lookupBody());
    const snapshot = server.stats();
    snapshot.requests["alpha /lookup"] = 99;
    snapshot.rejectedSignatures = 99;
    expect(server.stats()).toEqual({ requests: { "alpha /lookup": 1 }, rejectedSignatures: 0 });
  });
});

describe("HTTP control API", () => {
  it("POST /_control/knobs sets one platform's knobs", async () => {
    const { res, json } = await control("/_control/knobs", {
      method: "POST",
      body: JSON.stringify({ slug: "beta", knobs: { errorRate: 1 } }),
    });
    expect(res.status).toBe(200);
    expect(json).toEqual({ ok: true });
    expect((await send("beta", lookupBody())).res.status).toBe(503);
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
  });

  it("POST /_control/knobs without a slug sets every platform's knobs", async () => {
    const { res } = await control("/_control/knobs", { method: "POST", body: JSON.stringify({ knobs: { errorRate: 1 } }) });
    expect(res.status).toBe(200);
    expect((await send("alpha", lookupBody())).res.status).toBe(503);
    expect((await send("beta", lookupBody())).res.status).toBe(503);
  });

  it("POST /_control/knobs with invalid JSON answers 400 and changes nothing", async () => {
    server.setKnobs("beta", { errorRate: 1 });
    const { res, json } = await control("/_control/knobs", { method: "POST", body: "{slug: beta" });
    expect(res.status).toBe(400);
    expect(json).toEqual({ error: "invalid_json" });
    expect((await send("beta", lookupBody())).res.status).toBe(503);
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
  });

  it("GET /_control/stats reports the same counts as stats()", async () => {
    await send("alpha", lookupBody());
    await send("beta", lookupBody(), { secret: generateSecret() });
    const { res, json } = await control("/_control/stats");
    expect(res.status).toBe(200);
    expect(json).toEqual({ requests: { "alpha /lookup": 1, "beta /lookup": 1 }, rejectedSignatures: 1 });
    expect(json).toEqual(server.stats());
  });

  it("POST /_control/reset restores the initial knobs and zeroes the stats", async () => {
    await control("/_control/knobs", { method: "POST", body: JSON.stringify({ slug: "gamma", knobs: {} }) });
    await control("/_control/knobs", { method: "POST", body: JSON.stringify({ slug: "alpha", knobs: { errorRate: 1 } }) });
    expect((await send("gamma", lookupBody())).res.status).toBe(200);
    expect((await send("alpha", lookupBody())).res.status).toBe(503);

    const { res, json } = await control("/_control/reset", { method: "POST" });
    expect(res.status).toBe(200);
    expect(json).toEqual({ ok: true });
    expect(server.stats()).toEqual({ requests: {}, rejectedSignatures: 0 });
    expect((await control("/_control/stats")).json).toEqual({ requests: {}, rejectedSignatures: 0 });
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
  });

  it("GET /health answers 200 with the number of platforms", async () => {
    const { res, json } = await control("/health");
    expect(res.status).toBe(200);
    expect(json).toEqual({ ok: true, platforms: 3 });
  });
});

describe("close()", () => {
  it("finishes promptly while a request hangs and another waits out its latency", async () => {
    const own = await startPartnerServer({
      platforms: [
        { slug: "alpha", secret: secrets.alpha, knobs: { hang: true } },
        { slug: "beta", secret: secrets.beta, knobs: { latencyMs: 60_000 } },
      ],
      bindings,
    });
    const settled = (p: Promise<Sent>) =>
      p.then(
        (sent) => ({ answered: sent.res.status }),
        (error: unknown) => ({ error }),
      );
    const hanging = settled(send("alpha", lookupBody(), { base: own.url }));
    const slow = settled(send("beta", lookupBody(), { base: own.url }));
    // Wait until both requests have arrived and passed the signature check.
    const deadline = Date.now() + 5_000;
    while (Object.keys(own.stats().requests).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(own.stats().requests).toEqual({ "alpha /lookup": 1, "beta /lookup": 1 });

    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1_000);

    // The open requests end with a dropped connection, never with an answer.
    const outcomes = await Promise.race([
      Promise.all([hanging, slow]),
      new Promise<"still open">((r) => setTimeout(() => r("still open"), 2_000)),
    ]);
    expect(outcomes).not.toBe("still open");
    for (const outcome of outcomes as { answered?: number; error?: unknown }[]) {
      expect(outcome).not.toHaveProperty("answered");
      expect(outcome.error).toBeInstanceOf(Error);
    }
  });
});

describe("defaults: the seeded sandbox platforms", () => {
  let sandbox: PartnerServer;

  beforeAll(async () => {
    sandbox = await startPartnerServer();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("serves every seeded platform (twelve) and reports them on /health", async () => {
    expect(platformSeed).toHaveLength(12);
    const res = await fetch(`${sandbox.url}/health`);
    expect(await res.json()).toEqual({ ok: true, platforms: 12 });
  });

  it("answers the demo number as documented, signed with each platform's derived secret", async () => {
    const documented: Record<string, string> = {
      "linkup-chat": "bound_before_tenure",
      "swift-ride": "bound_before_tenure",
      "daily-mall": "bound_before_tenure",
      "easy-credit": "bound_before_tenure",
      "quick-loan": "bound_before_tenure",
      "city-services": "bound_before_tenure",
      "fresh-bites": "bound_since_tenure",
      "coin-pay": "bound_since_tenure",
    };
    expect(DEMO_OWNER_NUMBER).toBe("+8613800138000");
    expect(Object.keys(sandboxBindings[DEMO_OWNER_NUMBER]!).sort()).toEqual(Object.keys(documented).sort());
    const body = JSON.stringify(lookupBody(DEMO_OWNER_NUMBER, "2026-03-15T02:30:00.000Z"));
    for (const { slug } of platformSeed) {
      const secret = sandboxSigningSecret(slug);
      const id = newId();
      const res = await fetch(`${sandbox.url}/${slug}/lookup`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signatureHeaders(secret, body, { id }) },
        body,
      });
      const text = await res.text();
      expect(res.status, slug).toBe(200);
      expect(JSON.parse(text), slug).toEqual({ status: documented[slug] ?? "not_bound" });
      expect(verify(secret, res.headers, text), slug).toMatchObject({ ok: true, id });
    }
  });

  it("accepts the documented sandbox secret of linkup-chat and refuses another platform's secret", async () => {
    const documentedSecret = "whsec_GEc1YC61s8jfWwEAekjxdXZmvHntNYg0tALLhfoL8r0=";
    const body = JSON.stringify(lookupBody(DEMO_OWNER_NUMBER));
    const post = (secret: string) =>
      fetch(`${sandbox.url}/linkup-chat/lookup`, { method: "POST", headers: signatureHeaders(secret, body, { id: newId() }), body });
    expect((await post(documentedSecret)).status).toBe(200);
    expect((await post(sandboxSigningSecret("swift-ride"))).status).toBe(401);
  });
});

describe("control API input checks", () => {
  it("refuses null, arrays, unknown knobs and oversized bodies without touching any knob", async () => {
    const p1Secret = "whsec_" + Buffer.alloc(32, 3).toString("base64");
    const server = await startPartnerServer({ platforms: [{ slug: "p1", secret: p1Secret, knobs: { errorRate: 1 } }] });
    try {
      const post = (body: string) => fetch(`${server.url}/_control/knobs`, { method: "POST", body });
      expect((await post("null")).status).toBe(400);
      expect((await post("[]")).status).toBe(400);
      expect((await post('{"knobs":{"latencyMs":"abc"}}')).status).toBe(400);
      expect((await post('{"knobs":{"teleport":true}}')).status).toBe(400);
      expect((await post(JSON.stringify({ knobs: {}, pad: "x".repeat(25 * 1024) }))).status).toBe(413);
      // p1 still answers 503: no request above reset its knobs.
      const body = JSON.stringify({ number: "+8613800138000", tenureStart: "2026-03-15T02:30:00.000Z" });
      const lookup = await fetch(`${server.url}/p1/lookup`, { method: "POST", body, headers: signatureHeaders(p1Secret, body, { id: "msg_control" }) });
      expect(lookup.status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
