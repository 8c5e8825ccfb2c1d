import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClients, platforms } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { issueAttestation } from "@/lib/platforms/attestation";
import { generateSigningJwk, loadSigningKeys } from "@/lib/platforms/keys";
import { answerChecks, MAX_BATCH_ENTRIES, parseCheck } from "./check";
import { checkBatchHandler, checkHandler, MAX_CHECK_BYTES } from "./route";
import { BATCH_PATH, CHECK_PATH, platformApiFixture, post, tenure } from "./testing";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_TYPE } from "./token";

let t: TestDatabase;
let f: Awaited<ReturnType<typeof platformApiFixture>>;
let check: (request: Request) => Promise<Response>;
let batch: (request: Request) => Promise<Response>;

const HELD = "+8613900000001"; // one holder since 2024-03-01
const GAP = "+8613900000002"; // A 2023-01-10 → 2024-02-25, nobody, B from 2024-09-21
const ENDED = "+8613900000003"; // cancelled 2025-05-01, nobody since
const SELF_ONLY = "+8613900000004"; // only the owner's own declaration
const CONFIRMED = "+8613900000005"; // agent-confirmed since 2022-06-01
const UNKNOWN = "+8613900000009";

beforeAll(async () => {
  t = await createTestDatabase();
  f = await platformApiFixture(t);
  check = checkHandler(f.deps);
  batch = checkBatchHandler(f.deps);
  await tenure(t, HELD, "2024-03-01T00:30:00+08:00", null);
  await tenure(t, GAP, "2023-01-10T10:00:00+08:00", "2024-02-25T12:00:00+08:00");
  await tenure(t, GAP, "2024-09-21T09:00:00+08:00", null);
  await tenure(t, ENDED, "2020-01-01T10:00:00+08:00", "2025-05-01T10:00:00+08:00");
  await tenure(t, SELF_ONLY, "2021-01-01T10:00:00+08:00", null, "self_declared");
  await tenure(t, CONFIRMED, "2022-06-01T10:00:00+08:00", null, "agent_confirmed");
});
afterAll(() => t.dispose());

async function send(body: unknown, headers: Record<string, string> = {}, handler = check, path = CHECK_PATH) {
  const response = await handler(post(path, body, { authorization: `Bearer ${await f.token()}`, ...headers }));
  return { response, body: (await response.json()) as Record<string, unknown> };
}
const recycled = async (phoneNumber: string, specifiedDate: string) => (await send({ phoneNumber, specifiedDate })).body;

describe("the answer", () => {
  it("is false from the day the open tenure began (in China's time) and true before it", async () => {
    expect(await recycled(HELD, "2024-03-01")).toEqual({ phoneNumberRecycled: false });
    expect(await recycled(HELD, "2026-11-28")).toEqual({ phoneNumberRecycled: false });
    // 00:30 on 1 March in China is 29 February in UTC: still the first day of the records, not before.
    expect((await send({ phoneNumber: HELD, specifiedDate: "2024-02-29" })).body).toMatchObject({ status: 400, code: "OUT_OF_RANGE" });
  });

  it("is true inside an earlier tenure and inside the gap with no subscriber, false in the current one", async () => {
    expect(await recycled(GAP, "2023-01-10")).toEqual({ phoneNumberRecycled: true });
    expect(await recycled(GAP, "2024-02-25")).toEqual({ phoneNumberRecycled: true });
    expect(await recycled(GAP, "2024-06-01")).toEqual({ phoneNumberRecycled: true });
    expect(await recycled(GAP, "2024-09-20")).toEqual({ phoneNumberRecycled: true });
    expect(await recycled(GAP, "2024-09-21")).toEqual({ phoneNumberRecycled: false });
  });

  it("is true for a number cancelled since, with nobody holding it now", async () => {
    expect(await recycled(ENDED, "2024-01-01")).toEqual({ phoneNumberRecycled: true });
    expect(await recycled(ENDED, "2025-06-01")).toEqual({ phoneNumberRecycled: true });
  });

  it("counts agent-confirmed tenures as carrier records, and not an owner's own declaration (404 IDENTIFIER_NOT_FOUND)", async () => {
    expect(await recycled(CONFIRMED, "2023-01-01")).toEqual({ phoneNumberRecycled: false });
    for (const n of [SELF_ONLY, UNKNOWN]) {
      const { response, body } = await send({ phoneNumber: n, specifiedDate: "2024-01-01" });
      expect(response.status).toBe(404);
      expect(body).toEqual({ status: 404, code: "IDENTIFIER_NOT_FOUND", message: expect.any(String) });
    }
  });

  it("refuses a future date with 400 OUT_OF_RANGE and takes today (in China)", async () => {
    // The fake clock is 16:00 on 28 November in China.
    expect(await recycled(HELD, "2026-11-28")).toEqual({ phoneNumberRecycled: false });
    const { response, body } = await send({ phoneNumber: HELD, specifiedDate: "2026-11-29" });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ status: 400, code: "OUT_OF_RANGE" });
  });

  it("answers 422 UNNECESSARY_IDENTIFIER when a token names the number and the body does too", () => {
    const now = new Date("2026-11-28T08:00:00Z");
    expect(parseCheck({ phoneNumber: HELD, specifiedDate: "2024-01-01" }, { phoneNumber: HELD }, now)).toEqual({
      ok: false,
      error: { status: 422, code: "UNNECESSARY_IDENTIFIER", message: expect.any(String) },
    });
    expect(parseCheck({ specifiedDate: "2024-01-01" }, { phoneNumber: HELD }, now)).toEqual({ ok: true, phoneNumber: HELD, specifiedDate: "2024-01-01" });
  });

  it("answers many numbers with one query, in order", async () => {
    expect(await answerChecks(t.db, [{ phoneNumber: GAP, specifiedDate: "2024-09-22" }, { phoneNumber: HELD, specifiedDate: "2024-05-01" }, { phoneNumber: GAP, specifiedDate: "2024-01-01" }])).toEqual([
      { phoneNumberRecycled: false },
      { phoneNumberRecycled: false },
      { phoneNumberRecycled: true },
    ]);
  });
});

describe("errors and headers", () => {
  it("echoes x-correlator on success and on every error, and refuses one off its schema with 400 (not echoed)", async () => {
    const ok = await send({ phoneNumber: HELD, specifiedDate: "2024-05-01" }, { "x-correlator": "req:1;a/b.c{d}<e>" });
    expect(ok.response.headers.get("x-correlator")).toBe("req:1;a/b.c{d}<e>");
    const refused = await send({ specifiedDate: "nope" }, { "x-correlator": "abc" });
    expect(refused.response.headers.get("x-correlator")).toBe("abc");
    const unauthenticated = await check(post(CHECK_PATH, {}, { "x-correlator": "abc" }));
    expect(unauthenticated.headers.get("x-correlator")).toBe("abc");
    const none = await send({ phoneNumber: HELD, specifiedDate: "2024-05-01" });
    expect(none.response.headers.get("x-correlator")).toBeNull();
    for (const bad of ["has space", "x".repeat(257), "quote\"d"]) {
      const { response, body } = await send({ phoneNumber: HELD, specifiedDate: "2024-05-01" }, { "x-correlator": bad });
      expect(response.status).toBe(400);
      expect(body).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
      expect(response.headers.get("x-correlator")).toBeNull();
    }
  });

  it("answers 401 UNAUTHENTICATED without a token, with a garbled one, one of other keys, or an attestation of ours", async () => {
    const otherKeys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("camara-test-1")]));
    const forged = await new SignJWT({ scope: "number-recycling:check", ver: 1 })
      .setProtectedHeader({ alg: "ES256", kid: "camara-test-1", typ: ACCESS_TOKEN_TYPE })
      .setIssuer("urn:reclaim:dev")
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(f.clientId)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(otherKeys[0]!.privateKey);
    const attestation = (
      await issueAttestation(
        { platform: ACCESS_TOKEN_AUDIENCE, number: HELD, tenureStart: new Date(), tenureSource: "carrier_record", otpVerifiedAt: new Date(), simChangedAt: null },
        { keys: f.keys, now: f.clock.now() },
      )
    ).token;
    for (const authorization of [undefined, "Bearer", "Bearer abc.def.ghi", `Basic ${btoa("a:b")}`, `Bearer ${forged}`, `Bearer ${attestation}`]) {
      const response = await check(post(CHECK_PATH, { phoneNumber: HELD, specifiedDate: "2024-05-01" }, authorization ? { authorization } : {}));
      expect(response.status, authorization).toBe(401);
      expect(await response.json()).toEqual({ status: 401, code: "UNAUTHENTICATED", message: expect.any(String) });
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("answers 403 PERMISSION_DENIED for a token without the scope and for a platform that is paused", async () => {
    const noScope = await check(post(CHECK_PATH, { phoneNumber: HELD, specifiedDate: "2024-05-01" }, { authorization: `Bearer ${await f.token(["other:scope"])}` }));
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toEqual({ status: 403, code: "PERMISSION_DENIED", message: expect.any(String) });
    const [client] = await t.db.select({ platformId: apiClients.platformId }).from(apiClients).where(eq(apiClients.clientId, f.clientId));
    const token = await f.token();
    await t.db.update(platforms).set({ status: "paused" }).where(eq(platforms.id, client!.platformId));
    try {
      const paused = await check(post(CHECK_PATH, { phoneNumber: HELD, specifiedDate: "2024-05-01" }, { authorization: `Bearer ${token}` }));
      expect(paused.status).toBe(403);
    } finally {
      await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, client!.platformId));
    }
  });

  it("answers 400 INVALID_ARGUMENT for a body that is not JSON, not an object, or over the cap, before reading past the cap", async () => {
    for (const raw of ["{", "[]", "\"x\"", "null", JSON.stringify({ phoneNumber: HELD, specifiedDate: "2024-05-01", pad: "x".repeat(MAX_CHECK_BYTES) })]) {
      const { response, body } = await send(raw);
      expect(response.status).toBe(400);
      expect(body).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    }
  });

  it("answers 500 INTERNAL in the CAMARA shape, with the correlator, when something unexpected fails", async () => {
    const broken = checkHandler(() => ({ ...f.deps(), db: async () => { throw new Error("boom"); } }));
    const response = await broken(post(CHECK_PATH, {}, { "x-correlator": "c-1" }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ status: 500, code: "INTERNAL", message: expect.any(String) });
    expect(response.headers.get("x-correlator")).toBe("c-1");
  });
});

describe("rate limit", () => {
  it("allows the client's rate per second, then 429 TOO_MANY_REQUESTS with Retry-After, and again in the next second", async () => {
    const own = await platformApiFixture(t, "camara-rate");
    await t.db.update(apiClients).set({ ratePerSecond: 3 }).where(eq(apiClients.clientId, own.clientId));
    const handler = checkHandler(own.deps);
    const token = await own.token();
    const call = () => handler(post(CHECK_PATH, { phoneNumber: HELD, specifiedDate: "2024-05-01" }, { authorization: `Bearer ${token}`, "x-correlator": "r" }));
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("x-correlator")).toBe("r");
    expect(await limited.json()).toEqual({ status: 429, code: "TOO_MANY_REQUESTS", message: expect.any(String) });
    // Another client is not slowed by this one.
    expect((await send({ phoneNumber: HELD, specifiedDate: "2024-05-01" })).response.status).toBe(200);
    own.clock.advance(1000);
    expect((await call()).status).toBe(200);
  });

  it("gives each new client 100 requests per second by default", async () => {
    const [row] = await t.db.select({ rate: apiClients.ratePerSecond }).from(apiClients).where(eq(apiClients.clientId, f.clientId));
    expect(row!.rate).toBe(100);
  });
});

describe("check-batch", () => {
  const sendBatch = (body: unknown) => send(body, {}, batch, BATCH_PATH);

  it("answers every entry in order, keeping no data (404) apart from not recycled, and an entry's own errors apart from the rest", async () => {
    const { response, body } = await sendBatch({
      checks: [
        { phoneNumber: HELD, specifiedDate: "2024-05-01" },
        { phoneNumber: GAP, specifiedDate: "2024-06-01" },
        { phoneNumber: UNKNOWN, specifiedDate: "2024-06-01" },
        { phoneNumber: "138", specifiedDate: "2024-06-01" },
        { specifiedDate: "2024-06-01" },
        { phoneNumber: HELD, specifiedDate: "2099-01-01" },
        { phoneNumber: "+12025550123", specifiedDate: "2024-06-01" },
        "nope",
      ],
    });
    expect(response.status).toBe(200);
    const results = body.results as unknown[];
    expect(results).toEqual([
      { phoneNumberRecycled: false },
      { phoneNumberRecycled: true },
      { error: { status: 404, code: "IDENTIFIER_NOT_FOUND", message: expect.any(String) } },
      { error: { status: 400, code: "INVALID_ARGUMENT", message: expect.any(String) } },
      { error: { status: 422, code: "MISSING_IDENTIFIER", message: expect.any(String) } },
      { error: { status: 400, code: "OUT_OF_RANGE", message: expect.any(String) } },
      { error: { status: 422, code: "SERVICE_NOT_APPLICABLE", message: expect.any(String) } },
      { error: { status: 400, code: "INVALID_ARGUMENT", message: expect.any(String) } },
    ]);
  });

  it("takes up to 1,000 entries and refuses more, none, or a body of another shape", async () => {
    const full = Array.from({ length: MAX_BATCH_ENTRIES }, (_, i) => ({ phoneNumber: `+86139${String(10000000 + i)}`, specifiedDate: "2024-06-01" }));
    full[999] = { phoneNumber: HELD, specifiedDate: "2024-06-01" };
    const ok = await sendBatch({ checks: full });
    expect(ok.response.status).toBe(200);
    const results = ok.body.results as Record<string, unknown>[];
    expect(results).toHaveLength(MAX_BATCH_ENTRIES);
    expect(results[999]).toEqual({ phoneNumberRecycled: false });
    expect(results[0]).toMatchObject({ error: { code: "IDENTIFIER_NOT_FOUND" } });

    const over = await sendBatch({ checks: [...full, full[0]] });
    expect(over.response.status).toBe(400);
    expect(over.body).toMatchObject({ status: 400, code: "OUT_OF_RANGE" });
    expect((await sendBatch({ checks: [] })).body).toMatchObject({ status: 400, code: "OUT_OF_RANGE" });
    for (const shape of [[{ phoneNumber: HELD, specifiedDate: "2024-06-01" }], { checks: "x" }, {}]) {
      expect((await sendBatch(shape)).body).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    }
  });

  it("needs the same token as the single check", async () => {
    const response = await batch(post(BATCH_PATH, { checks: [] }));
    expect(response.status).toBe(401);
  });
});

describe("docs/camara/number-recycling.yaml", () => {
  it("states the patterns and the batch size the code enforces", async () => {
    const { readFileSync } = await import("node:fs");
    const { PHONE_NUMBER } = await import("./check");
    const { X_CORRELATOR } = await import("./errors");
    const text = readFileSync("docs/camara/number-recycling.yaml", "utf8");
    expect(text).toContain(`pattern: ${PHONE_NUMBER.source}`);
    expect(text).toContain(`pattern: ${X_CORRELATOR.source.replace("./", ".\\/")}`);
    expect(text).toContain(`maxItems: ${MAX_BATCH_ENTRIES}`);
    expect(text).toContain('url: "{apiRoot}/number-recycling/v0.2"');
    expect(text).toMatch(/\/check-batch:\n\s+post:\n\s+x-reclaim-extension: true/);
  });
});
