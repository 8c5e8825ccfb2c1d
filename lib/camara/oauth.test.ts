import { eq } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClients, platforms } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { publicJwks } from "@/lib/platforms/keys";
import { clientsIssue } from "@/scripts/clients-issue";
import { hashSecret, issueClient } from "./clients";
import { TOKEN_REQUESTS_PER_MINUTE } from "./oauth";
import { checkHandler, tokenHandler } from "./route";
import { CHECK_PATH, platformApiFixture, post, tenure } from "./testing";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_TTL_SECONDS } from "./token";

let t: TestDatabase;
let f: Awaited<ReturnType<typeof platformApiFixture>>;
let token: (request: Request) => Promise<Response>;
let check: (request: Request) => Promise<Response>;
const HELD = "+8613700000001";

beforeAll(async () => {
  t = await createTestDatabase();
  f = await platformApiFixture(t, "oauth-test");
  token = tokenHandler(f.deps);
  check = checkHandler(f.deps);
  await tenure(t, HELD, "2024-01-01T10:00:00+08:00", null);
});
afterAll(() => t.dispose());

const FORM = "application/x-www-form-urlencoded";
function tokenRequest(form: Record<string, string> | string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/oauth/token", {
    method: "POST",
    headers: { "content-type": FORM, ...headers },
    body: typeof form === "string" ? form : new URLSearchParams(form).toString(),
  });
}
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function grant(id = f.clientId, secret = f.clientSecret, extra: Record<string, string> = {}) {
  const response = await token(tokenRequest({ grant_type: "client_credentials", client_id: id, client_secret: secret, ...extra }));
  return { response, body: (await response.json()) as Record<string, string | number> };
}
const checkWith = (accessToken: string) => check(post(CHECK_PATH, { phoneNumber: HELD, specifiedDate: "2024-06-01" }, { authorization: `Bearer ${accessToken}` }));

describe("POST /api/oauth/token", () => {
  it("issues a short-lived at+jwt with the scope for client id and secret in the body, verifiable against our JWK Set, that the check accepts", async () => {
    const { response, body } = await grant();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: "number-recycling:check" });
    const accessToken = body.access_token as string;
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: "camara-test-1" });
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(await publicJwks(f.keys)), { audience: ACCESS_TOKEN_AUDIENCE, currentDate: f.clock.now() });
    expect(payload).toMatchObject({ sub: f.clientId, client_id: f.clientId, scope: "number-recycling:check" });
    expect(payload.exp! - payload.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect((await checkWith(accessToken)).status).toBe(200);
  });

  it("takes HTTP Basic client authentication too, and an explicit scope it grants", async () => {
    const response = await token(tokenRequest({ grant_type: "client_credentials", scope: "number-recycling:check" }, { authorization: basic(f.clientId, f.clientSecret) }));
    expect(response.status).toBe(200);
    expect((await checkWith(((await response.json()) as { access_token: string }).access_token)).status).toBe(200);
  });

  it("answers invalid_client (401, WWW-Authenticate) for a wrong secret, an unknown client, no credentials or bad Basic", async () => {
    const cases = [
      tokenRequest({ grant_type: "client_credentials", client_id: f.clientId, client_secret: "rcs_wrong" }),
      tokenRequest({ grant_type: "client_credentials", client_id: "rc_unknown", client_secret: f.clientSecret }),
      tokenRequest({ grant_type: "client_credentials" }),
      tokenRequest({ grant_type: "client_credentials" }, { authorization: basic(f.clientId, "rcs_wrong") }),
      tokenRequest({ grant_type: "client_credentials" }, { authorization: "Basic !!!" }),
    ];
    for (const request of cases) {
      const response = await token(request);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
      expect(await response.json()).toMatchObject({ error: "invalid_client" });
    }
  });

  it("answers unsupported_grant_type, invalid_scope and invalid_request as RFC 6749 §5.2 says", async () => {
    expect((await grant(f.clientId, f.clientSecret, { grant_type: "password" })).body).toMatchObject({ error: "unsupported_grant_type" });
    const scoped = await grant(f.clientId, f.clientSecret, { scope: "number-recycling:check admin" });
    expect(scoped.response.status).toBe(400);
    expect(scoped.body).toMatchObject({ error: "invalid_scope" });
    const invalidRequests = [
      tokenRequest({ client_id: f.clientId, client_secret: f.clientSecret }),
      tokenRequest(`grant_type=client_credentials&grant_type=client_credentials&client_id=${f.clientId}&client_secret=${f.clientSecret}`),
      tokenRequest({ grant_type: "client_credentials", client_secret: f.clientSecret }, { authorization: basic(f.clientId, f.clientSecret) }),
      tokenRequest({ grant_type: "client_credentials", client_id: f.clientId, client_secret: f.clientSecret }, { "content-type": "application/json" }),
    ];
    for (const request of invalidRequests) {
      const response = await token(request);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_request" });
    }
    const huge = await token(tokenRequest({ grant_type: "client_credentials", pad: "x".repeat(5000) }));
    expect(huge.status).toBe(400);
  });

  it("answers unauthorized_client while the platform is paused", async () => {
    const [row] = await t.db.select({ platformId: apiClients.platformId }).from(apiClients).where(eq(apiClients.clientId, f.clientId));
    await t.db.update(platforms).set({ status: "paused" }).where(eq(platforms.id, row!.platformId));
    try {
      expect((await grant()).body).toMatchObject({ error: "unauthorized_client" });
    } finally {
      await t.db.update(platforms).set({ status: "active" }).where(eq(platforms.id, row!.platformId));
    }
  });
});

describe("clients", () => {
  it("answers 429 with Retry-After once one client id has asked too often in a minute, before comparing any secret; other ids are not held up", async () => {
    const id = "rcc_flood_test";
    for (let i = 0; i < TOKEN_REQUESTS_PER_MINUTE; i++) expect((await grant(id, "wrong")).response.status).toBe(401);
    const { response, body } = await grant(id, "wrong");
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body.error).toBe("temporarily_unavailable");
    expect((await grant()).response.status).toBe(200);
  });

  it("stores only the SHA-256 of the secret", async () => {
    const [row] = await t.db.select().from(apiClients).where(eq(apiClients.clientId, f.clientId));
    expect(row!.secretHash).toBe(hashSecret(f.clientSecret));
    expect(JSON.stringify(row)).not.toContain(f.clientSecret);
    expect(f.clientSecret).toMatch(/^rcs_[A-Za-z0-9_-]{43}$/);
  });

  it("rotating a secret ends the old secret and the tokens issued with it; the new one works", async () => {
    const own = await issueClient(t.db, { platformSlug: "oauth-test" });
    if (!own.ok) throw new Error("no client");
    const before = (await grant(own.clientId, own.clientSecret)).body.access_token as string;
    const out: string[] = [];
    expect(await clientsIssue(t.db, ["--rotate", own.clientId], (l) => out.push(l), () => {}, f.clock.now())).toBe(0);
    const secret = out.join("\n").match(/client_secret: (\S+)/)![1]!;
    expect((await grant(own.clientId, own.clientSecret)).body).toMatchObject({ error: "invalid_client" });
    expect((await checkWith(before)).status).toBe(401);
    const after = await grant(own.clientId, secret);
    expect(after.response.status).toBe(200);
    expect((await checkWith(after.body.access_token as string)).status).toBe(200);
  });

  it("revoking a client refuses new tokens and its live ones", async () => {
    const own = await issueClient(t.db, { platformSlug: "oauth-test" });
    if (!own.ok) throw new Error("no client");
    const live = (await grant(own.clientId, own.clientSecret)).body.access_token as string;
    expect(await clientsIssue(t.db, ["--revoke", own.clientId], () => {}, () => {}, f.clock.now())).toBe(0);
    expect((await grant(own.clientId, own.clientSecret)).body).toMatchObject({ error: "invalid_client" });
    expect((await checkWith(live)).status).toBe(401);
    expect(await clientsIssue(t.db, ["--rotate", own.clientId], () => {}, () => {})).toBe(1);
  });

  it("npm run clients:issue prints the id and the secret once, and refuses an unknown platform or bad arguments", async () => {
    const out: string[] = [];
    expect(await clientsIssue(t.db, ["--platform", "oauth-test", "--rate", "20"], (l) => out.push(l), () => {})).toBe(0);
    const id = out.join("\n").match(/client_id: +(\S+)/)![1]!;
    const secret = out.join("\n").match(/client_secret: (\S+)/)![1]!;
    expect(out.join("\n").split(secret)).toHaveLength(2);
    const [row] = await t.db.select().from(apiClients).where(eq(apiClients.clientId, id));
    expect(row).toMatchObject({ ratePerSecond: 20, secretHash: hashSecret(secret), scopes: ["number-recycling:check"] });
    expect((await grant(id, secret)).response.status).toBe(200);
    const err: string[] = [];
    expect(await clientsIssue(t.db, ["--platform", "nope"], () => {}, (l) => err.push(l))).toBe(1);
    expect(await clientsIssue(t.db, [], () => {}, (l) => err.push(l))).toBe(1);
    expect(await clientsIssue(t.db, ["--platform", "oauth-test", "--rate", "0"], () => {}, (l) => err.push(l))).toBe(1);
    expect(await clientsIssue(t.db, ["--bogus"], () => {}, (l) => err.push(l))).toBe(1);
    expect(err.join("\n")).toContain("no platform with slug nope");
  });
});
