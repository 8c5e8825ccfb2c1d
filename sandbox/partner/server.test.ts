import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { base64url, decodeJwt, SignJWT, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_OWNER_NUMBER, platformSeed, sandboxBindings, sandboxSigningSecret } from "@/db/seed-data";
import { issueAttestation } from "@/lib/platforms/attestation";
import { generateSigningJwk, loadSigningKeys, publicJwks, type SigningKey } from "@/lib/platforms/keys";
import { generateSecret, signatureHeaders, verify } from "@/lib/platforms/signing";
import { partnerOptionsFromEnv } from "./env";
import { MAX_BODY_BYTES, startPartnerServer, type PartnerServer, type PartnerServerOptions } from "./server";

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
/** The unbind part of the stats when no unbind has been received. */
const NO_UNBINDS = { unbinds: {}, callbacks: { sent: 0, failed: 0, statuses: {} }, reports: {}, reportCallbacks: { sent: 0, failed: 0, statuses: {} }, events: {} };

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
    const { res, json } = await send("alpha", lookupBody(), { path: "/number-recycling" });
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
      expect(server.stats()).toEqual({ requests: { "alpha /lookup": 1 }, rejectedSignatures: 0, ...NO_UNBINDS });
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
    expect(server.stats()).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
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
      ...NO_UNBINDS,
    });
  });

  it("returns a snapshot that callers cannot change", async () => {
    await send("alpha", lookupBody());
    const snapshot = server.stats();
    snapshot.requests["alpha /lookup"] = 99;
    snapshot.rejectedSignatures = 99;
    expect(server.stats()).toEqual({ requests: { "alpha /lookup": 1 }, rejectedSignatures: 0, ...NO_UNBINDS });
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
    expect(json).toEqual({ requests: { "alpha /lookup": 1, "beta /lookup": 1 }, rejectedSignatures: 1, ...NO_UNBINDS });
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
    expect(server.stats()).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
    expect((await control("/_control/stats")).json).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
    expect((await send("gamma", lookupBody())).res.status).toBe(503);
    expect((await send("alpha", lookupBody())).res.status).toBe(200);
  });

  it("GET /health answers 200 with the number of platforms", async () => {
    const { res, json } = await control("/health");
    expect(res.status).toBe(200);
    expect(json).toEqual({ ok: true, platforms: 3 });
  });
});

describe("state kept per number (for tests that run side by side)", () => {
  const MINE = "+8613900000101";
  const THEIRS = "+8613900000102";

  it("knobs set for a number apply to requests about that number only, and win over the platform's", async () => {
    server.setKnobs("alpha", { errorRate: 1 }, { number: MINE });
    expect((await send("alpha", lookupBody(MINE))).res.status).toBe(503);
    expect((await send("alpha", lookupBody(THEIRS))).res.status).toBe(200);
    expect((await send("beta", lookupBody(MINE))).res.status).toBe(200);
    // gamma starts with errorRate 1; a number's own "*" knobs replace that for its requests only.
    server.setKnobs("*", {}, { number: MINE });
    expect((await send("gamma", lookupBody(MINE))).res.status).toBe(200);
    expect((await send("alpha", lookupBody(MINE))).res.status).toBe(200);
    expect((await send("gamma", lookupBody(THEIRS))).res.status).toBe(503);
  });

  it("setBindings gives a number its own account records; reset of that number removes them and leaves the others", async () => {
    server.setBindings(MINE, { alpha: "2020-01-01T00:00:00.000Z", beta: "2027-01-01T00:00:00.000Z" });
    server.setBindings(THEIRS, { beta: "2020-01-01T00:00:00.000Z" });
    expect((await send("alpha", lookupBody(MINE))).json.status).toBe("bound_before_tenure");
    expect((await send("beta", lookupBody(MINE))).json.status).toBe("bound_since_tenure");
    server.reset({ number: MINE });
    expect((await send("alpha", lookupBody(MINE))).json.status).toBe("not_bound");
    expect((await send("beta", lookupBody(THEIRS))).json.status).toBe("bound_before_tenure");
    // A number given at start-up goes back to its start-up records.
    server.setBindings(NUMBER, {});
    expect((await send("alpha", lookupBody(NUMBER))).json.status).toBe("not_bound");
    server.reset({ number: NUMBER });
    expect((await send("alpha", lookupBody(NUMBER))).json.status).toBe("bound_before_tenure");
  });

  it("stats of a number count only the requests about it; the totals count every request; a number's reset zeroes only its own", async () => {
    server.setKnobs("alpha", { errorRate: 1 }, { number: MINE });
    await send("alpha", lookupBody(MINE));
    await send("alpha", lookupBody(MINE), { secret: generateSecret() });
    await send("beta", lookupBody(THEIRS));
    expect(server.stats({ number: MINE })).toEqual({ requests: { "alpha /lookup": 2 }, rejectedSignatures: 1, ...NO_UNBINDS });
    expect(server.stats({ number: THEIRS })).toEqual({ requests: { "beta /lookup": 1 }, rejectedSignatures: 0, ...NO_UNBINDS });
    expect(server.stats().requests).toEqual({ "alpha /lookup": 2, "beta /lookup": 1 });
    server.reset({ number: MINE });
    expect(server.stats({ number: MINE })).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
    expect(server.stats({ number: THEIRS }).requests).toEqual({ "beta /lookup": 1 });
    expect(server.stats().requests).toEqual({ "alpha /lookup": 2, "beta /lookup": 1 });
    // Its knobs went with the reset.
    expect((await send("alpha", lookupBody(MINE))).res.status).toBe(200);
  });

  it("the control API takes a number on knobs, bindings, stats and reset, and refuses one that is not E.164", async () => {
    const post = (path: string, body: unknown) => control(path, { method: "POST", body: JSON.stringify(body) });
    expect((await post("/_control/knobs", { slug: "alpha", number: MINE, knobs: { gone: true } })).res.status).toBe(200);
    expect((await post("/_control/bindings", { number: MINE, accounts: { beta: "2019-01-01T00:00:00+08:00" } })).res.status).toBe(200);
    expect((await send("alpha", lookupBody(MINE))).res.status).toBe(410);
    expect((await send("alpha", lookupBody(THEIRS))).res.status).toBe(200);
    expect((await send("beta", lookupBody(MINE))).json.status).toBe("bound_before_tenure");
    const stats = await control(`/_control/stats?number=${encodeURIComponent(MINE)}`);
    expect(stats.json).toEqual({ requests: { "alpha /lookup": 1, "beta /lookup": 1 }, rejectedSignatures: 0, ...NO_UNBINDS });
    expect((await post("/_control/reset", { number: MINE })).json).toEqual({ ok: true });
    expect((await control(`/_control/stats?number=${encodeURIComponent(MINE)}`)).json).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
    expect((await send("beta", lookupBody(MINE))).json.status).toBe("not_bound");
    expect(server.stats().requests).toEqual({ "alpha /lookup": 2, "beta /lookup": 2 });

    for (const [path, body, error] of [
      ["/_control/knobs", { number: "13900000101", knobs: {} }, "invalid_knobs"],
      ["/_control/bindings", { number: MINE, accounts: { beta: "yesterday" } }, "invalid_body"],
      ["/_control/bindings", { accounts: {} }, "invalid_body"],
      ["/_control/reset", { number: 5 }, "invalid_body"],
    ] as const) {
      const refused = await post(path, body);
      expect(refused.res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(refused.json).toEqual({ error });
    }
    expect((await control("/_control/stats?number=nope")).res.status).toBe(400);
    expect((await control("/_control/reset", { method: "POST", body: "{" })).json).toEqual({ error: "invalid_json" });
    expect((await control("/_control/teleport", { method: "POST", body: "{}" })).res.status).toBe(404);
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

/*
 * Unbind (docs/partner-api.md §5 "POST {base}/unbind", §6 attestation, `unbind-results`): the
 * platform verifies Reclaim's attestation, answers 202, and reports the outcome later with a signed
 * callback. A tiny local receiver plays Reclaim's `unbind-results` endpoint (and, when asked, its
 * JWKS endpoint); it records what arrives and which platform secret, if any, signed it.
 */

const ISSUER = "urn:reclaim:test";
const UNBIND_RESULTS = "/api/partner/v1/unbind-results";

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** The test platform whose secret verifies the signature, if any. */
  signedBy: string | undefined;
  at: number;
}

interface Receiver {
  url: string;
  callbackUrl: string;
  received: Received[];
  /** Status codes to answer the next callbacks with, in order; 204 once empty. */
  answers: number[];
  /** Take callbacks and never answer. */
  hang: boolean;
  /** Served at GET /.well-known/jwks.json when set (with `jwksStatus`, 200 by default). */
  jwks: { keys: JWK[] } | undefined;
  jwksStatus: number;
  callbacks(): Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = {
    received: [] as Received[],
    answers: [] as number[],
    hang: false,
    jwks: undefined as { keys: JWK[] } | undefined,
    jwksStatus: 200,
  };
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // A GET has no body.
      }
      const signedBy = Object.entries(secrets).find(([, secret]) => verify(secret, req.headers, body).ok)?.[0];
      receiver.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json, signedBy, at: performance.now() });
      if (req.method === "GET" && req.url === "/.well-known/jwks.json" && receiver.jwks) {
        res.writeHead(receiver.jwksStatus, { "content-type": "application/json" }).end(JSON.stringify(receiver.jwks));
        return;
      }
      if (receiver.hang) return;
      res.writeHead(receiver.answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return Object.assign(receiver, {
    url,
    callbackUrl: `${url}${UNBIND_RESULTS}`,
    callbacks: () => receiver.received.filter((r) => r.method === "POST"),
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface UnbindBody {
  requestId: string;
  number: string;
  tenureStart: string;
  attestation: unknown;
}

describe("POST /{slug}/unbind", () => {
  let keys: SigningKey[];
  let otherKeys: SigningKey[];
  let receiver: Receiver;
  let partner: PartnerServer;

  /** A real attestation, as Reclaim issues it (lib/platforms/attestation). */
  async function attest(
    platform: string,
    number: string = NUMBER,
    tenureStart: string = TENURE_START,
    options: { keys?: SigningKey[]; now?: Date; ttlSeconds?: number; issuer?: string } = {},
  ): Promise<string> {
    const { token } = await issueAttestation(
      { platform, number, tenureStart: new Date(tenureStart), tenureSource: "carrier_record", otpVerifiedAt: new Date(), simChangedAt: null },
      { keys: options.keys ?? keys, issuer: options.issuer ?? ISSUER, now: options.now, ttlSeconds: options.ttlSeconds },
    );
    return token;
  }

  async function unbindBody(slug: string, number: string = NUMBER, tenureStart: string = TENURE_START): Promise<UnbindBody> {
    return { requestId: randomUUID(), number, tenureStart, attestation: await attest(slug, number, tenureStart) };
  }

  /** Signed as Reclaim sends it: the webhook-id is the requestId. */
  function sendUnbind(slug: "alpha" | "beta", body: UnbindBody | string, options: SendOptions & { to?: PartnerServer } = {}) {
    const id = typeof body === "string" ? randomUUID() : body.requestId;
    return send(slug, body, { path: "/unbind", base: (options.to ?? partner).url, id, ...options });
  }

  function lookupOn(target: PartnerServer, slug: "alpha" | "beta", number: string = NUMBER) {
    return send(slug, lookupBody(number), { base: target.url }).then((sent) => sent.json.status);
  }

  const callbacksFor = (requestId: string) => receiver.callbacks().filter((c) => c.json.requestId === requestId);
  const settled = (target: PartnerServer = partner) => waitFor(() => target.pendingCallbacks() === 0, "pending callbacks");

  async function startPartner(options: Partial<PartnerServerOptions> = {}) {
    return startPartnerServer({
      platforms: [
        { slug: "alpha", secret: secrets.alpha },
        { slug: "beta", secret: secrets.beta },
      ],
      bindings,
      callbackUrl: receiver.callbackUrl,
      jwks: await publicJwks(keys),
      issuer: ISSUER,
      ...options,
    });
  }

  beforeAll(async () => {
    keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("k1")]));
    // Same kid, different key: only the signature can tell them apart.
    otherKeys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("k1")]));
    receiver = await startReceiver();
    partner = await startPartner();
  });

  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
  });

  afterEach(async () => {
    // Let callbacks already on their way arrive now rather than during the next test.
    await waitFor(() => partner.pendingCallbacks() === 0, "pending callbacks", 2_000).catch(() => undefined);
    partner.reset();
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.hang = false;
    receiver.jwks = undefined;
    receiver.jwksStatus = 200;
    vi.unstubAllEnvs();
  });

  describe("an accepted request", () => {
    it("is answered 202 accepted, signed under the request's id, then reported by a signed callback after the delay", async () => {
      const body = await unbindBody("alpha");
      const { res, text, json } = await sendUnbind("alpha", body);
      const answeredAt = performance.now();
      expect(res.status).toBe(202);
      expect(json).toEqual({ status: "accepted" });
      expect(res.headers.get("webhook-id")).toBe(body.requestId);
      expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id: body.requestId });
      expect(verify(secrets.beta, res.headers, text)).toEqual({ ok: false, reason: "bad_signature" });

      await waitFor(() => callbacksFor(body.requestId).length === 1, "the callback");
      const [callback] = callbacksFor(body.requestId);
      // Default delay: 200 ms.
      expect(callback!.at - answeredAt).toBeGreaterThanOrEqual(150);
      expect(callback!.path).toBe(UNBIND_RESULTS);
      expect(callback!.headers["content-type"]).toBe("application/json");
      expect(callback!.signedBy).toBe("alpha");
      const id = callback!.headers["webhook-id"];
      expect(id).toMatch(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(id).not.toBe(`msg_${body.requestId}`);
      expect(callback!.json).toEqual({ requestId: body.requestId, status: "unbound", effectiveAt: expect.any(String) as unknown });
      expect(Math.abs(Date.parse(callback!.json.effectiveAt as string) - Date.now())).toBeLessThan(5_000);

      await settled();
      expect(partner.stats()).toEqual({
        requests: { "alpha /unbind": 1 },
        rejectedSignatures: 0,
        unbinds: { [body.requestId]: 1 },
        callbacks: { sent: 1, failed: 0, statuses: { unbound: 1 } },
        reports: {},
        reportCallbacks: { sent: 0, failed: 0, statuses: {} },
        events: {},
      });
    });

    it("is decided from the platform's records: before the tenure → unbound, since (or exactly at) → rejected bound_after_tenure, none → rejected not_found", async () => {
      partner.setKnobs("*", { unbind: { delayMs: 0 } });
      const before = await unbindBody("alpha", NUMBER); // alpha: 2020
      const since = await unbindBody("beta", NUMBER); // beta: 2026-04-01
      const atTenure = await unbindBody("alpha", EDGE_NUMBER); // alpha: exactly the tenure start
      const none = await unbindBody("alpha", UNBOUND_NUMBER);
      for (const [slug, body] of [["alpha", before], ["beta", since], ["alpha", atTenure], ["alpha", none]] as const) {
        expect((await sendUnbind(slug, body)).res.status).toBe(202);
      }
      await settled();
      expect(callbacksFor(before.requestId).map((c) => c.json)).toEqual([{ requestId: before.requestId, status: "unbound", effectiveAt: expect.any(String) as unknown }]);
      expect(callbacksFor(since.requestId).map((c) => c.json)).toEqual([{ requestId: since.requestId, status: "rejected", reason: "bound_after_tenure" }]);
      expect(callbacksFor(atTenure.requestId).map((c) => c.json)).toEqual([{ requestId: atTenure.requestId, status: "rejected", reason: "bound_after_tenure" }]);
      expect(callbacksFor(none.requestId).map((c) => c.json)).toEqual([{ requestId: none.requestId, status: "rejected", reason: "not_found" }]);
      expect(callbacksFor(since.requestId)[0]!.signedBy).toBe("beta");
      expect(partner.stats().callbacks).toEqual({ sent: 4, failed: 0, statuses: { unbound: 1, rejected: 3 } });
    });

    it("removes an unbound binding from the records (later look-ups answer not_bound there only), and reset() restores them", async () => {
      partner.setKnobs("*", { unbind: { delayMs: 0 } });
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");
      const body = await unbindBody("alpha");
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      await settled();
      expect(callbacksFor(body.requestId)[0]!.json.status).toBe("unbound");

      expect(await lookupOn(partner, "alpha")).toBe("not_bound");
      expect(await lookupOn(partner, "beta")).toBe("bound_since_tenure");
      // The records given to the server are its own copy.
      expect(bindings[NUMBER]!.alpha).toBe("2020-01-01T00:00:00.000Z");
      // Nothing left to unbind for a second request.
      const again = await unbindBody("alpha");
      expect((await sendUnbind("alpha", again)).res.status).toBe(202);
      await settled();
      expect(callbacksFor(again.requestId)[0]!.json).toEqual({ requestId: again.requestId, status: "rejected", reason: "not_found" });

      partner.reset();
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");
    });
  });

  describe("unbind knobs", () => {
    it("scheduled reports effectiveAt = now + noticeDays (7 by default) and keeps the binding for now", async () => {
      partner.setKnobs("alpha", { unbind: { outcome: "scheduled", noticeDays: 30, delayMs: 0 } });
      partner.setKnobs("beta", { unbind: { outcome: "scheduled", delayMs: 0 } });
      const thirty = await unbindBody("alpha");
      const seven = await unbindBody("beta");
      await sendUnbind("alpha", thirty);
      await sendUnbind("beta", seven);
      await settled();
      const day = 86_400_000;
      for (const [body, days] of [[thirty, 30], [seven, 7]] as const) {
        const [callback] = callbacksFor(body.requestId);
        expect(callback!.json).toEqual({ requestId: body.requestId, status: "scheduled", effectiveAt: expect.any(String) as unknown });
        expect(callback!.json.effectiveAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Math.abs(Date.parse(callback!.json.effectiveAt as string) - (Date.now() + days * day))).toBeLessThan(5_000);
      }
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");
      expect(partner.stats().callbacks.statuses).toEqual({ scheduled: 2 });
    });

    it("needs_owner_action sends instructions (a default text, or the knob's) and the knob's reason, and keeps the binding", async () => {
      partner.setKnobs("alpha", { unbind: { outcome: "needs_owner_action", delayMs: 0 } });
      partner.setKnobs("beta", { unbind: { outcome: "needs_owner_action", instructions: "Call us on 95000.", reason: "sim_changed_recently", delayMs: 0 } });
      const byDefault = await unbindBody("alpha");
      const custom = await unbindBody("beta");
      await sendUnbind("alpha", byDefault);
      await sendUnbind("beta", custom);
      await settled();
      const [first] = callbacksFor(byDefault.requestId);
      expect(Object.keys(first!.json).sort()).toEqual(["instructions", "requestId", "status"]);
      expect(first!.json.status).toBe("needs_owner_action");
      expect(first!.json.instructions).toEqual(expect.stringContaining("Settings"));
      expect(callbacksFor(custom.requestId)[0]!.json).toEqual({
        requestId: custom.requestId,
        status: "needs_owner_action",
        instructions: "Call us on 95000.",
        reason: "sim_changed_recently",
      });
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");
    });

    it("a forced rejected outcome overrides the records, with the knob's reason, and keeps the binding", async () => {
      partner.setKnobs("alpha", { unbind: { outcome: "rejected", reason: "manual_review", delayMs: 0 } });
      const body = await unbindBody("alpha");
      await sendUnbind("alpha", body);
      await settled();
      expect(callbacksFor(body.requestId).map((c) => c.json)).toEqual([{ requestId: body.requestId, status: "rejected", reason: "manual_review" }]);
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");
    });

    it("callbacks: 3 sends the same callback three times under one webhook-id (duplicate delivery)", async () => {
      partner.setKnobs("alpha", { unbind: { callbacks: 3, delayMs: 0 } });
      const body = await unbindBody("alpha");
      await sendUnbind("alpha", body);
      await settled();
      const delivered = callbacksFor(body.requestId);
      expect(delivered).toHaveLength(3);
      expect(new Set(delivered.map((c) => c.headers["webhook-id"])).size).toBe(1);
      expect(new Set(delivered.map((c) => c.body)).size).toBe(1);
      expect(delivered.every((c) => c.signedBy === "alpha")).toBe(true);
      expect(delivered[0]!.json.status).toBe("unbound");
      expect(partner.stats().callbacks).toEqual({ sent: 3, failed: 0, statuses: { unbound: 3 } });
      expect(partner.stats().unbinds).toEqual({ [body.requestId]: 1 });
    });

    it("badSignature signs the 202 and the callback with a secret Reclaim does not know", async () => {
      partner.setKnobs("alpha", { badSignature: true, unbind: { delayMs: 0 } });
      const body = await unbindBody("alpha");
      const { res, text } = await sendUnbind("alpha", body);
      expect(res.status).toBe(202);
      expect(res.headers.get("webhook-id")).toBe(body.requestId);
      expect(verify(secrets.alpha, res.headers, text)).toEqual({ ok: false, reason: "bad_signature" });
      await settled();
      const [callback] = callbacksFor(body.requestId);
      expect(callback!.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(callback!.signedBy).toBeUndefined();
      expect(verify(secrets.alpha, callback!.headers, callback!.body)).toEqual({ ok: false, reason: "bad_signature" });
      // Reclaim did take it (the receiver does not check): the platform counts it as sent.
      expect(partner.stats().callbacks.sent).toBe(1);
    });

    it("gone answers 410 to a well-attested request, unsigned, and schedules nothing (look-ups are gone too)", async () => {
      partner.setKnobs("alpha", { gone: true, unbind: { delayMs: 0 } });
      const body = await unbindBody("alpha");
      const { res, json } = await sendUnbind("alpha", body);
      expect(res.status).toBe(410);
      expect(json).toEqual({ error: "gone" });
      expect(res.headers.get("webhook-signature")).toBeNull();
      expect(partner.pendingCallbacks()).toBe(0);
      expect((await send("alpha", lookupBody(), { base: partner.url })).res.status).toBe(410);
      expect(partner.stats().unbinds).toEqual({ [body.requestId]: 1 });
      expect(partner.stats().callbacks).toEqual({ sent: 0, failed: 0, statuses: {} });
    });

    it("errorRate answers 503 and takes nothing: the redelivery of the same request is accepted as the first", async () => {
      partner.setKnobs("alpha", { errorRate: 1, unbind: { delayMs: 0 } });
      const body = await unbindBody("alpha");
      const failed = await sendUnbind("alpha", body);
      expect(failed.res.status).toBe(503);
      expect(failed.json).toEqual({ error: "unavailable" });
      expect(partner.pendingCallbacks()).toBe(0);

      partner.setKnobs("alpha", { unbind: { delayMs: 0 } });
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      await settled();
      expect(callbacksFor(body.requestId)).toHaveLength(1);
      expect(partner.stats().unbinds).toEqual({ [body.requestId]: 2 });
    });

    it("hang takes a well-attested request and neither answers nor calls back", async () => {
      partner.setKnobs("alpha", { hang: true, unbind: { delayMs: 0 } });
      const body = await unbindBody("alpha");
      const outcome = await sendUnbind("alpha", body, { signal: AbortSignal.timeout(300) }).then(
        (sent) => ({ answered: sent.res.status }),
        (error: unknown) => ({ error }),
      );
      expect(outcome).not.toHaveProperty("answered");
      expect(partner.pendingCallbacks()).toBe(0);
      expect(partner.stats().unbinds).toEqual({ [body.requestId]: 1 });
    });
  });

  describe("idempotency", () => {
    it("answers a repeated requestId 202 again, counts every delivery, and calls back once", async () => {
      partner.setKnobs("alpha", { unbind: { delayMs: 50 } });
      const body = await unbindBody("alpha");
      const first = await sendUnbind("alpha", body);
      const second = await sendUnbind("alpha", body);
      for (const { res, text } of [first, second]) {
        expect(res.status).toBe(202);
        expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id: body.requestId });
      }
      expect(partner.pendingCallbacks()).toBe(1);
      await settled();
      // A third delivery after the outcome was reported changes nothing either.
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      expect(partner.pendingCallbacks()).toBe(0);
      expect(callbacksFor(body.requestId)).toHaveLength(1);
      expect(partner.stats().unbinds).toEqual({ [body.requestId]: 3 });
      expect(partner.stats().callbacks.sent).toBe(1);
    });

    it("keeps requests apart: another requestId for the same number is a new request", async () => {
      partner.setKnobs("alpha", { unbind: { outcome: "scheduled", delayMs: 0 } });
      const a = await unbindBody("alpha");
      const b = await unbindBody("alpha");
      await sendUnbind("alpha", a);
      await sendUnbind("alpha", b);
      await settled();
      expect(callbacksFor(a.requestId)).toHaveLength(1);
      expect(callbacksFor(b.requestId)).toHaveLength(1);
      expect(partner.stats().unbinds).toEqual({ [a.requestId]: 1, [b.requestId]: 1 });
    });
  });

  describe("attestations that do not verify", () => {
    /** Each returns a body whose attestation a platform must refuse, for alpha. */
    const cases: [string, () => Promise<UnbindBody>][] = [
      ["made for another platform (audience)", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("beta") })],
      ["expired", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, TENURE_START, { now: new Date(Date.now() - 20 * 60_000) }) })],
      ["issued in the future", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, TENURE_START, { now: new Date(Date.now() + 5 * 60_000) }) })],
      ["signed by a key that is not in the JWKS (same kid)", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, TENURE_START, { keys: otherKeys }) })],
      ["from another issuer", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, TENURE_START, { issuer: "https://evil.example" }) })],
      [
        "unsigned (alg none)",
        async () => {
          const body = await unbindBody("alpha");
          const [, payload] = (body.attestation as string).split(".");
          const header = base64url.encode(JSON.stringify({ alg: "none", typ: "reclaim-attestation+jwt", kid: "k1" }));
          return { ...body, attestation: `${header}.${payload}.` };
        },
      ],
      [
        "HS256 with the public key as the HMAC secret",
        async () => {
          const body = await unbindBody("alpha");
          const token = await new SignJWT(decodeJwt(body.attestation as string))
            .setProtectedHeader({ alg: "HS256", kid: "k1", typ: "reclaim-attestation+jwt" })
            .sign(new TextEncoder().encode(JSON.stringify(keys[0]!.publicJwk)));
          return { ...body, attestation: token };
        },
      ],
      [
        "of another type (typ JWT)",
        async () => {
          const body = await unbindBody("alpha");
          const token = await new SignJWT(decodeJwt(body.attestation as string)).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" }).sign(keys[0]!.privateKey);
          return { ...body, attestation: token };
        },
      ],
      [
        "living longer than 15 minutes",
        async () => {
          const body = await unbindBody("alpha");
          const claims = decodeJwt(body.attestation as string);
          const token = await new SignJWT({ ...claims, exp: claims.iat! + 3_600 })
            .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "reclaim-attestation+jwt" })
            .sign(keys[0]!.privateKey);
          return { ...body, attestation: token };
        },
      ],
      ["for another number", async () => ({ ...(await unbindBody("alpha", NUMBER)), attestation: await attest("alpha", UNBOUND_NUMBER) })],
      ["for another tenure start", async () => ({ ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, "2026-03-15T02:30:01.000Z") })],
      ["not a JWT at all", async () => ({ ...(await unbindBody("alpha")), attestation: "not-a-jwt" })],
    ];

    it.each(cases)("are refused with 401 bad_attestation when %s, unsigned, and nothing is scheduled", async (_label, make) => {
      partner.setKnobs("alpha", { unbind: { delayMs: 0 } });
      const body = await make();
      const { res, json } = await sendUnbind("alpha", body);
      expect(res.status).toBe(401);
      expect(json).toEqual({ error: "bad_attestation" });
      expect(res.headers.get("webhook-signature")).toBeNull();
      expect(partner.pendingCallbacks()).toBe(0);
      expect(partner.stats()).toMatchObject({ rejectedSignatures: 0, unbinds: { [body.requestId]: 1 }, callbacks: { sent: 0, failed: 0 } });
      // The same request with a good attestation is accepted: only the attestation was wrong.
      expect((await sendUnbind("alpha", { ...body, attestation: await attest("alpha") })).res.status).toBe(202);
    });

    it("refuses an attestation replayed under another requestId (jti), but not the same request's redelivery", async () => {
      partner.setKnobs("alpha", { unbind: { delayMs: 0 } });
      const body = await unbindBody("alpha");
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      const replay = await sendUnbind("alpha", { ...body, requestId: randomUUID() });
      expect(replay.res.status).toBe(401);
      expect(replay.json).toEqual({ error: "bad_attestation" });
      await settled();
      expect(callbacksFor(body.requestId)).toHaveLength(1);
      expect(partner.stats().callbacks.sent).toBe(1);
    });
  });

  describe("malformed or badly signed requests", () => {
    it("answers 400 invalid_body for a bad requestId, number, tenureStart or attestation, and invalid_json for non-JSON", async () => {
      const good = await unbindBody("alpha");
      const bad: Partial<Record<keyof UnbindBody, unknown>>[] = [
        { requestId: "req-1" },
        { number: "12345" },
        { tenureStart: "yesterday" },
        { attestation: undefined },
        { attestation: 42 },
        { attestation: "" },
      ];
      for (const change of bad) {
        const { res, json } = await sendUnbind("alpha", { ...good, ...change } as UnbindBody);
        expect(res.status, JSON.stringify(change)).toBe(400);
        expect(json).toEqual({ error: "invalid_body" });
      }
      const notJson = await sendUnbind("alpha", "{requestId");
      expect(notJson.res.status).toBe(400);
      expect(notJson.json).toEqual({ error: "invalid_json" });
      expect(partner.pendingCallbacks()).toBe(0);
      expect(partner.stats().unbinds).toEqual({});
    });

    it("ignores fields it does not know", async () => {
      const body = { ...(await unbindBody("alpha")), later: "a field from a later v1 release" };
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
    });

    it("refuses a request not signed with the platform's secret with 401 bad_signature, before reading it", async () => {
      const body = await unbindBody("alpha");
      const { res, json } = await sendUnbind("alpha", body, { secret: secrets.beta });
      expect(res.status).toBe(401);
      expect(json).toEqual({ error: "bad_signature", reason: "bad_signature" });
      expect(partner.pendingCallbacks()).toBe(0);
      expect(partner.stats()).toMatchObject({ rejectedSignatures: 1, unbinds: {} });
    });
  });

  describe("callback delivery", () => {
    it("retries a callback Reclaim answered 500, under the same webhook-id, about 200 ms later", async () => {
      partner.setKnobs("alpha", { unbind: { delayMs: 0 } });
      receiver.answers.push(500);
      const body = await unbindBody("alpha");
      await sendUnbind("alpha", body);
      await settled();
      const delivered = callbacksFor(body.requestId);
      expect(delivered).toHaveLength(2);
      expect(delivered[1]!.headers["webhook-id"]).toBe(delivered[0]!.headers["webhook-id"]);
      expect(delivered[1]!.body).toBe(delivered[0]!.body);
      expect(delivered.every((c) => c.signedBy === "alpha")).toBe(true);
      expect(delivered[1]!.at - delivered[0]!.at).toBeGreaterThanOrEqual(150);
      expect(partner.stats().callbacks).toEqual({ sent: 1, failed: 0, statuses: { unbound: 1 } });
    });

    it("gives up after three attempts answered 5xx, and at once on a 4xx", async () => {
      partner.setKnobs("alpha", { unbind: { delayMs: 0 } });
      receiver.answers.push(503, 502, 500);
      const flaky = await unbindBody("alpha");
      await sendUnbind("alpha", flaky);
      await settled();
      expect(callbacksFor(flaky.requestId)).toHaveLength(3);
      expect(partner.stats().callbacks).toEqual({ sent: 0, failed: 1, statuses: {} });

      receiver.answers.push(400);
      const refused = await unbindBody("alpha", UNBOUND_NUMBER);
      await sendUnbind("alpha", refused);
      await settled();
      expect(callbacksFor(refused.requestId)).toHaveLength(1);
      expect(partner.stats().callbacks).toEqual({ sent: 0, failed: 2, statuses: {} });
    });

    it("retries when Reclaim cannot be reached, then counts the callback as failed", async () => {
      const closed = await startReceiver();
      await closed.close();
      const own = await startPartner({ callbackUrl: closed.callbackUrl });
      try {
        own.setKnobs("alpha", { unbind: { delayMs: 0 } });
        const body = await unbindBody("alpha");
        expect((await sendUnbind("alpha", body, { to: own })).res.status).toBe(202);
        const started = performance.now();
        await settled(own);
        // Two waits of 200 ms between three attempts.
        expect(performance.now() - started).toBeGreaterThanOrEqual(350);
        expect(own.stats().callbacks).toEqual({ sent: 0, failed: 1, statuses: {} });
      } finally {
        await own.close();
      }
    });
  });

  describe("reset() and close()", () => {
    it("reset() drops pending callbacks, forgets requestIds and zeroes the unbind stats", async () => {
      partner.setKnobs("alpha", { unbind: { delayMs: 300 } });
      const body = await unbindBody("alpha");
      await sendUnbind("alpha", body);
      expect(partner.pendingCallbacks()).toBe(1);
      partner.reset();
      expect(partner.pendingCallbacks()).toBe(0);
      expect(partner.stats()).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
      await new Promise((r) => setTimeout(r, 500));
      expect(callbacksFor(body.requestId)).toHaveLength(0);
      expect(await lookupOn(partner, "alpha")).toBe("bound_before_tenure");

      // The request is new again (and the knobs are the start-up ones: default delay).
      expect((await sendUnbind("alpha", body)).res.status).toBe(202);
      expect(partner.pendingCallbacks()).toBe(1);
      await settled();
      expect(callbacksFor(body.requestId)).toHaveLength(1);
    });

    it("a number's reset drops that number's pending callbacks and counts only; another number's callback is sent", async () => {
      const mine = "+8613900000201";
      partner.setBindings(mine, { alpha: "2020-01-01T00:00:00.000Z" });
      partner.setKnobs("alpha", { unbind: { delayMs: 300 } });
      const dropped = await unbindBody("alpha", mine);
      const kept = await unbindBody("alpha");
      await sendUnbind("alpha", dropped);
      await sendUnbind("alpha", kept);
      expect(partner.stats({ number: mine }).unbinds).toEqual({ [dropped.requestId]: 1 });
      expect(partner.pendingCallbacks()).toBe(2);
      partner.reset({ number: mine });
      await settled();
      expect(callbacksFor(dropped.requestId)).toHaveLength(0);
      expect(callbacksFor(kept.requestId)).toHaveLength(1);
      expect(partner.stats({ number: mine })).toEqual({ requests: {}, rejectedSignatures: 0, ...NO_UNBINDS });
      expect(partner.stats({ number: NUMBER }).callbacks).toEqual({ sent: 1, failed: 0, statuses: { unbound: 1 } });
      expect(partner.stats().unbinds).toEqual({ [dropped.requestId]: 1, [kept.requestId]: 1 });
    });

    it("close() returns promptly with one callback waiting out its delay and one in flight, and sends nothing after", async () => {
      const hanging = await startReceiver();
      hanging.hang = true;
      const own = await startPartner({ callbackUrl: hanging.callbackUrl });
      try {
        own.setKnobs("alpha", { unbind: { delayMs: 60_000 } });
        own.setKnobs("beta", { unbind: { delayMs: 0 } });
        expect((await sendUnbind("alpha", await unbindBody("alpha"), { to: own })).res.status).toBe(202);
        expect((await sendUnbind("beta", await unbindBody("beta"), { to: own })).res.status).toBe(202);
        await waitFor(() => hanging.callbacks().length === 1, "beta's callback to arrive");
        expect(own.pendingCallbacks()).toBe(2);

        const started = performance.now();
        await own.close();
        expect(performance.now() - started).toBeLessThan(1_000);
        await waitFor(() => own.pendingCallbacks() === 0, "the callbacks to be dropped", 1_000);
        await new Promise((r) => setTimeout(r, 300));
        expect(hanging.callbacks()).toHaveLength(1);
        // Dropped, not failed.
        expect(own.stats().callbacks).toEqual({ sent: 0, failed: 0, statuses: {} });
      } finally {
        await own.close();
        await hanging.close();
      }
    });
  });

  describe("configuration", () => {
    it("takes the unbind knobs through POST /_control/knobs, strictly, and reports unbind stats on GET /_control/stats", async () => {
      const post = (body: unknown) => fetch(`${partner.url}/_control/knobs`, { method: "POST", body: JSON.stringify(body) });
      const res = await post({
        slug: "alpha",
        knobs: { gone: false, unbind: { outcome: "rejected", reason: "manual_review", delayMs: 0, callbacks: 1, noticeDays: 3, instructions: "x" } },
      });
      expect(res.status).toBe(200);
      for (const knobs of [
        { unbind: { outcome: "deleted" } },
        { unbind: { teleport: true } },
        { unbind: { callbacks: 1.5 } },
        { unbind: { delayMs: -1 } },
        { gone: "yes" },
      ]) {
        const refused = await post({ slug: "alpha", knobs });
        expect(refused.status, JSON.stringify(knobs)).toBe(400);
        expect(await refused.json()).toEqual({ error: "invalid_knobs" });
      }
      // The accepted knobs are still the ones in force.
      const body = await unbindBody("alpha");
      await sendUnbind("alpha", body);
      await settled();
      expect(callbacksFor(body.requestId).map((c) => c.json)).toEqual([{ requestId: body.requestId, status: "rejected", reason: "manual_review" }]);

      const stats = (await (await fetch(`${partner.url}/_control/stats`)).json()) as Record<string, unknown>;
      expect(stats).toEqual(partner.stats());
      expect(stats).toMatchObject({ unbinds: { [body.requestId]: 1 }, callbacks: { sent: 1, failed: 0, statuses: { rejected: 1 } } });
    });

    it("fetches Reclaim's keys from /.well-known/jwks.json next to the callback URL when no JWKS is given", async () => {
      receiver.jwks = await publicJwks(keys);
      const own = await startPartner({ jwks: undefined });
      try {
        own.setKnobs("alpha", { unbind: { delayMs: 0 } });
        const body = await unbindBody("alpha");
        expect((await sendUnbind("alpha", body, { to: own })).res.status).toBe(202);
        expect(receiver.received.filter((r) => r.method === "GET").map((r) => r.path)).toEqual(["/.well-known/jwks.json"]);
        const forged = { ...(await unbindBody("alpha")), attestation: await attest("alpha", NUMBER, TENURE_START, { keys: otherKeys }) };
        expect((await sendUnbind("alpha", forged, { to: own })).res.status).toBe(401);
        await settled(own);
        expect(callbacksFor(body.requestId)).toHaveLength(1);
      } finally {
        await own.close();
      }
    });

    it("takes a JWKS URL as the jwks option, and answers 503 (not 401) when the keys cannot be fetched", async () => {
      receiver.jwks = await publicJwks(keys);
      const own = await startPartner({ jwks: `${receiver.url}/.well-known/jwks.json` });
      try {
        receiver.jwksStatus = 500;
        const down = await sendUnbind("alpha", await unbindBody("alpha"), { to: own });
        expect(down.res.status).toBe(503);
        expect(down.json).toEqual({ error: "unavailable" });
        expect(own.pendingCallbacks()).toBe(0);

        receiver.jwksStatus = 200;
        expect((await sendUnbind("alpha", await unbindBody("alpha"), { to: own })).res.status).toBe(202);
      } finally {
        await own.close();
      }
    });

    it("answers unbinds 503 when it has nowhere to report to and no keys, while look-ups still work", async () => {
      // The server reads no environment of its own: a callback URL set there changes nothing.
      vi.stubEnv("RECLAIM_CALLBACK_URL", receiver.callbackUrl);
      const own = await startPartner({ jwks: undefined, callbackUrl: undefined });
      try {
        expect(own.callbackUrl).toBeUndefined();
        const { res, json } = await sendUnbind("alpha", await unbindBody("alpha"), { to: own });
        expect(res.status).toBe(503);
        expect(json).toEqual({ error: "unavailable" });
        expect(await lookupOn(own, "alpha")).toBe("bound_before_tenure");
      } finally {
        await own.close();
      }
    });

    it("takes its settings from the environment through partnerOptionsFromEnv, RECLAIM_CALLBACK_URL first", async () => {
      const fromEnv = partnerOptionsFromEnv({ RECLAIM_CALLBACK_URL: receiver.callbackUrl, RECLAIM_URL: "http://127.0.0.1:9" });
      expect(fromEnv).toEqual({ port: 4010, host: "127.0.0.1", callbackUrl: receiver.callbackUrl, jwks: undefined, issuer: undefined });
      const own = await startPartner({ callbackUrl: fromEnv.callbackUrl });
      try {
        expect(own.callbackUrl).toBe(receiver.callbackUrl);
        own.setKnobs("alpha", { unbind: { delayMs: 0 } });
        const body = await unbindBody("alpha");
        expect((await sendUnbind("alpha", body, { to: own })).res.status).toBe(202);
        await settled(own);
        expect(callbacksFor(body.requestId)).toHaveLength(1);
      } finally {
        await own.close();
      }
    });

    it("on the seeded sandbox platforms, unbinds the demo number's old accounts without touching the seed", async () => {
      const sandbox = await startPartnerServer({ callbackUrl: receiver.callbackUrl, jwks: await publicJwks(keys), issuer: ISSUER });
      try {
        sandbox.setKnobs("*", { unbind: { delayMs: 0 } });
        const tenure = "2026-03-15T02:30:00.000Z";
        const outcomes: Record<string, string> = {};
        for (const slug of ["linkup-chat", "fresh-bites", "short-clips"]) {
          const body = { requestId: randomUUID(), number: DEMO_OWNER_NUMBER, tenureStart: tenure, attestation: await attest(slug, DEMO_OWNER_NUMBER, tenure) };
          const text = JSON.stringify(body);
          const res = await fetch(`${sandbox.url}/${slug}/unbind`, {
            method: "POST",
            headers: { "content-type": "application/json", ...signatureHeaders(sandboxSigningSecret(slug), text, { id: body.requestId }) },
            body: text,
          });
          expect(res.status, slug).toBe(202);
          await settled(sandbox);
          const [callback] = callbacksFor(body.requestId);
          expect(verify(sandboxSigningSecret(slug), callback!.headers, callback!.body).ok, slug).toBe(true);
          outcomes[slug] = `${String(callback!.json.status)}${callback!.json.reason ? ` ${String(callback!.json.reason)}` : ""}`;
        }
        expect(outcomes).toEqual({ "linkup-chat": "unbound", "fresh-bites": "rejected bound_after_tenure", "short-clips": "rejected not_found" });
        expect(sandboxBindings[DEMO_OWNER_NUMBER]!["linkup-chat"]).toBe("2019-07-02T12:00:00+08:00");
      } finally {
        await sandbox.close();
      }
    });
  });
});

describe("POST /{slug}/wrong-party-reports", () => {
  let receiver: Receiver;
  let partner: PartnerServer;
  const REPORT_RESULTS = "/api/partner/v1/report-results";
  const reportBody = () => ({
    reportId: randomUUID(),
    number: NUMBER,
    tenureStart: TENURE_START,
    category: "debt_collection",
    channel: "sms",
    receivedAt: "2026-11-28T01:00:00.000Z",
    text: "【易贷花】刘** 因欠款逾期…",
  });
  const sendReport = (slug: "alpha" | "beta", body: ReturnType<typeof reportBody> | string, options: SendOptions = {}) =>
    send(slug, body, { path: "/wrong-party-reports", base: partner.url, id: typeof body === "string" ? randomUUID() : body.reportId, ...options });
  const answersFor = (reportId: string) => receiver.callbacks().filter((c) => c.json.reportId === reportId);

  beforeAll(async () => {
    receiver = await startReceiver();
    partner = await startPartnerServer({
      platforms: [
        { slug: "alpha", secret: secrets.alpha },
        { slug: "beta", secret: secrets.beta },
      ],
      bindings,
      callbackUrl: receiver.callbackUrl,
      jwks: { keys: [] },
    });
  });
  afterAll(async () => {
    await partner?.close();
    await receiver?.close();
  });
  afterEach(async () => {
    await waitFor(() => partner.pendingCallbacks() === 0, "pending callbacks", 2_000).catch(() => undefined);
    partner.reset();
    receiver.received.length = 0;
    receiver.answers.length = 0;
  });

  it("is answered 202, recorded as received, and answered by default with acknowledged then contact_stopped", async () => {
    const body = reportBody();
    const { res, text, json } = await sendReport("alpha", body);
    expect(res.status).toBe(202);
    expect(json).toEqual({ status: "accepted" });
    expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id: body.reportId });
    expect(partner.stats().reports[body.reportId]).toEqual({ deliveries: 1, category: "debt_collection", text: body.text, tenureStart: TENURE_START });

    await waitFor(() => answersFor(body.reportId).length === 2, "two answers");
    const answers = answersFor(body.reportId);
    expect(answers.map((a) => a.json.status)).toEqual(["acknowledged", "contact_stopped"]);
    expect(answers.every((a) => a.path === REPORT_RESULTS && a.signedBy === "alpha")).toBe(true);
    // Each answer is its own message: its own webhook-id.
    expect(new Set(answers.map((a) => a.headers["webhook-id"])).size).toBe(2);
    await waitFor(() => partner.pendingCallbacks() === 0, "pending callbacks");
    expect(partner.stats().reportCallbacks).toEqual({ sent: 2, failed: 0, statuses: { acknowledged: 1, contact_stopped: 1 } });
  });

  it("follows the report knob: statuses, note and delay; a repeat is 202 and answered once", async () => {
    partner.setKnobs("beta", { report: { statuses: ["disputed"], note: "号码登记为本人", delayMs: 0 } });
    const body = reportBody();
    expect((await sendReport("beta", body)).res.status).toBe(202);
    expect((await sendReport("beta", body)).res.status).toBe(202);
    await waitFor(() => partner.pendingCallbacks() === 0, "pending callbacks");
    expect(answersFor(body.reportId).map((a) => a.json)).toEqual([{ reportId: body.reportId, status: "disputed", note: "号码登记为本人" }]);
    expect(partner.stats().reports[body.reportId]!.deliveries).toBe(2);
  });

  it("refuses a bad signature, a malformed body, and follows gone and errorRate", async () => {
    const body = reportBody();
    expect((await sendReport("alpha", body, { secret: secrets.beta })).res.status).toBe(401);
    expect((await sendReport("alpha", JSON.stringify({ ...body, reportId: "nope" }))).res.status).toBe(400);
    expect((await sendReport("alpha", "{")).res.status).toBe(400);
    partner.setKnobs("alpha", { gone: true });
    expect((await sendReport("alpha", body)).res.status).toBe(410);
    partner.setKnobs("alpha", { errorRate: 1 });
    expect((await sendReport("alpha", body)).res.status).toBe(503);
    expect(answersFor(body.reportId)).toHaveLength(0);
  });

  it("validates the report knob", async () => {
    const res = await fetch(`${partner.url}/_control/knobs`, { method: "POST", body: JSON.stringify({ slug: "alpha", knobs: { report: { statuses: ["stopped"] } } }) });
    expect(res.status).toBe(400);
  });
});

describe("POST /{slug}/events", () => {
  const eventBody = () => ({ type: "owner.erased", number: NUMBER, at: "2026-11-29T02:00:00.000Z" });
  const sendEvent = (slug: "alpha" | "beta", body: unknown, options: SendOptions = {}) => send(slug, body, { path: "/events", ...options });
  afterEach(() => server.reset());

  it("takes a signed event with 202, signed under its webhook-id, and records it per number", async () => {
    const id = `evt_${randomUUID()}`;
    const { res, text, json } = await sendEvent("alpha", eventBody(), { id });
    expect(res.status).toBe(202);
    expect(json).toEqual({ status: "accepted" });
    expect(verify(secrets.alpha, res.headers, text)).toMatchObject({ ok: true, id });
    expect(server.stats({ number: NUMBER }).events).toEqual({ [id]: { slug: "alpha", type: "owner.erased", at: "2026-11-29T02:00:00.000Z", deliveries: 1 } });
    expect((await control(`/_control/stats?number=${encodeURIComponent(NUMBER)}`)).json.events).toEqual(server.stats({ number: NUMBER }).events);
  });

  it("is idempotent on webhook-id: a redelivery is 202 and counted as a delivery of the same event", async () => {
    const id = `evt_${randomUUID()}`;
    expect((await sendEvent("beta", eventBody(), { id })).res.status).toBe(202);
    expect((await sendEvent("beta", eventBody(), { id })).res.status).toBe(202);
    expect(Object.keys(server.stats().events)).toEqual([id]);
    expect(server.stats().events[id]!.deliveries).toBe(2);
  });

  it("refuses a bad signature and a malformed body, and follows the knobs", async () => {
    expect((await sendEvent("alpha", eventBody(), { secret: secrets.beta })).res.status).toBe(401);
    expect((await sendEvent("alpha", { ...eventBody(), number: "13800138000" })).res.status).toBe(400);
    expect((await sendEvent("alpha", "{")).res.status).toBe(400);
    expect(server.stats().events).toEqual({});
    server.setKnobs("alpha", { errorRate: 1 });
    expect((await sendEvent("alpha", eventBody())).res.status).toBe(503);
    server.setKnobs("alpha", { gone: true });
    expect((await sendEvent("alpha", eventBody())).res.status).toBe(410);
  });
});
