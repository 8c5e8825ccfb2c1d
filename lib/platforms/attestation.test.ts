import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTESTATION_TTL_SECONDS, ATTESTATION_TYPE, attestationIssuer, issueAttestation, type AttestationInput } from "@/lib/platforms/attestation";
import { ATTESTATION_ALG, generateSigningJwk, loadSigningKeys, publicJwks, type SigningKey } from "@/lib/platforms/keys";

const ISSUER = "https://reclaim.example";
const NOW = new Date("2025-03-01T12:00:00.500Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

const input: AttestationInput = {
  platform: "acme-chat",
  number: "+8613800138000",
  tenureStart: new Date("2019-06-15T08:30:00.000Z"),
  tenureSource: "carrier_record",
  otpVerifiedAt: new Date("2025-03-01T11:58:20.750Z"),
  simChangedAt: new Date("2025-02-20T09:00:00.000Z"),
};

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

let keys: SigningKey[];

beforeAll(async () => {
  keys = await loadSigningKeys(JSON.stringify([await generateSigningJwk("k1")]));
});

/** Verifies a token as a platform would: against our published JWK Set, ES256 only, its own slug as audience. */
async function verifyAsPlatform(
  token: string,
  { jwks, audience = input.platform, currentDate = NOW }: { jwks?: { keys: JWK[] }; audience?: string; currentDate?: Date } = {},
) {
  return jwtVerify(token, createLocalJWKSet(jwks ?? (await publicJwks(keys))), {
    algorithms: ["ES256"],
    audience,
    issuer: ISSUER,
    currentDate,
  });
}

describe("issueAttestation", () => {
  it("issues an ES256 token a platform verifies against the published JWK Set", async () => {
    const { token, jti, expiresAt } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const { payload, protectedHeader } = await verifyAsPlatform(token);

    expect(protectedHeader).toEqual({ alg: "ES256", kid: "k1", typ: ATTESTATION_TYPE });
    expect(payload).toEqual({
      iss: ISSUER,
      aud: "acme-chat",
      sub: "+8613800138000",
      tenure_start: seconds(input.tenureStart),
      tenure_source: "carrier_record",
      otp_verified_at: seconds(input.otpVerifiedAt),
      sim_changed_at: seconds(input.simChangedAt!),
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + ATTESTATION_TTL_SECONDS,
      jti,
    });
    expect(expiresAt.getTime()).toBe((NOW_SECONDS + ATTESTATION_TTL_SECONDS) * 1000);
  });

  it("writes dates as whole NumericDate seconds, not milliseconds", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const { payload } = await verifyAsPlatform(token);
    for (const claim of ["tenure_start", "otp_verified_at", "sim_changed_at", "iat", "exp"]) {
      expect(Number.isInteger(payload[claim]), claim).toBe(true);
    }
    expect(payload.tenure_start).toBe(1560587400);
    expect(payload.otp_verified_at).toBe(1740830300);
  });

  it("sets sim_changed_at to null when the SIM has not been changed", async () => {
    const { token } = await issueAttestation({ ...input, simChangedAt: null, tenureSource: "self_declared" }, { keys, issuer: ISSUER, now: NOW });
    const { payload } = await verifyAsPlatform(token);
    expect(payload).toHaveProperty("sim_changed_at", null);
    expect(payload.tenure_source).toBe("self_declared");
  });

  it("lives at most 15 minutes, and can be made shorter", async () => {
    expect(ATTESTATION_TTL_SECONDS).toBe(900);
    const { token: standard } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const { payload } = await verifyAsPlatform(standard);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);

    const { token: short, expiresAt } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW, ttlSeconds: 60 });
    const { payload: shortPayload } = await verifyAsPlatform(short);
    expect(shortPayload.exp! - shortPayload.iat!).toBe(60);
    expect(expiresAt.getTime()).toBe((NOW_SECONDS + 60) * 1000);
  });

  it("refuses a lifetime over 15 minutes", async () => {
    await expect(issueAttestation(input, { keys, issuer: ISSUER, now: NOW, ttlSeconds: 901 })).rejects.toThrow(/at most 900/);
    // A token that is born expired is a bug, not an attestation.
    await expect(issueAttestation(input, { keys, issuer: ISSUER, now: NOW, ttlSeconds: 0 })).rejects.toThrow(/more than 0/);
    await expect(issueAttestation(input, { keys, issuer: ISSUER, now: NOW, ttlSeconds: -60 })).rejects.toThrow(/more than 0/);
  });

  it("gives every token its own jti", async () => {
    const a = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const b = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    expect(a.jti).not.toBe(b.jti);
    expect((await verifyAsPlatform(a.token)).payload.jti).toBe(a.jti);
    expect((await verifyAsPlatform(b.token)).payload.jti).toBe(b.jti);
  });

  it("refuses to issue without any key", async () => {
    await expect(issueAttestation(input, { keys: [], issuer: ISSUER, now: NOW })).rejects.toThrow(/No attestation signing key/);
  });
});

describe("a platform verifying an attestation", () => {
  it("rejects it once expired", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const afterExpiry = new Date((NOW_SECONDS + ATTESTATION_TTL_SECONDS + 1) * 1000);
    await expect(verifyAsPlatform(token, { currentDate: afterExpiry })).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
  });

  it("rejects a token meant for another platform", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    await expect(verifyAsPlatform(token, { audience: "other-platform" })).rejects.toMatchObject({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED", claim: "aud" });
  });

  it("rejects a token from another issuer", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: "https://evil.example", now: NOW });
    await expect(verifyAsPlatform(token)).rejects.toMatchObject({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED", claim: "iss" });
  });

  it("rejects an unsigned alg: none token carrying the same claims", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const payload = token.split(".")[1]!;
    const forged = `${b64url({ alg: "none" })}.${payload}.`;
    await expect(verifyAsPlatform(forged)).rejects.toMatchObject({ code: "ERR_JOSE_ALG_NOT_ALLOWED" });
    const forgedWithKid = `${b64url({ alg: "none", kid: "k1", typ: ATTESTATION_TYPE })}.${payload}.`;
    await expect(verifyAsPlatform(forgedWithKid)).rejects.toMatchObject({ code: "ERR_JOSE_ALG_NOT_ALLOWED" });
  });

  it("rejects a token whose payload was altered after signing", async () => {
    const { token } = await issueAttestation(input, { keys, issuer: ISSUER, now: NOW });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const altered = `${header}.${b64url({ ...claims, sim_changed_at: null })}.${signature}`;
    await expect(verifyAsPlatform(altered)).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
  });

  it("rejects a token signed by a key that is not published, even with the same kid", async () => {
    const rogue = await loadSigningKeys(JSON.stringify([await generateSigningJwk("k1")]));
    const { token } = await issueAttestation(input, { keys: rogue, issuer: ISSUER, now: NOW });
    expect(decodeProtectedHeader(token).kid).toBe("k1");
    await expect(verifyAsPlatform(token)).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
  });

  it("rejects an HS256 token through the algorithm allow-list", async () => {
    const hmacKey = new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!");
    const token = await new SignJWT({ tenure_start: 0, tenure_source: "carrier_record", otp_verified_at: NOW_SECONDS, sim_changed_at: null })
      .setProtectedHeader({ alg: "HS256", kid: "k1", typ: ATTESTATION_TYPE })
      .setIssuer(ISSUER)
      .setAudience(input.platform)
      .setSubject(input.number)
      .setIssuedAt(NOW_SECONDS)
      .setExpirationTime(NOW_SECONDS + 60)
      .sign(hmacKey);
    await expect(verifyAsPlatform(token)).rejects.toMatchObject({ code: "ERR_JOSE_ALG_NOT_ALLOWED" });
  });
});

describe("publicJwks", () => {
  it("publishes the public half of every key, never the private d member", async () => {
    const jwks = await publicJwks(keys);
    expect(jwks.keys).toHaveLength(1);
    const [jwk] = jwks.keys;
    expect(jwk).not.toHaveProperty("d");
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256", kid: "k1", alg: "ES256", use: "sig" });
    expect(typeof jwk!.x).toBe("string");
    expect(typeof jwk!.y).toBe("string");
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });

  it("publishes keys matching the private keys they come from", async () => {
    const jwk = await generateSigningJwk("k-match");
    const [loaded] = await loadSigningKeys(JSON.stringify([jwk]));
    expect(loaded!.publicJwk).toMatchObject({ x: jwk.x, y: jwk.y, kid: "k-match" });
  });
});

describe("key rotation", () => {
  it("signs with the first configured key and publishes both", async () => {
    const rotated = await loadSigningKeys(JSON.stringify([await generateSigningJwk("new"), await generateSigningJwk("old")]));
    expect(rotated.map((k) => k.kid)).toEqual(["new", "old"]);

    const jwks = await publicJwks(rotated);
    expect(jwks.keys.map((k) => k.kid)).toEqual(["new", "old"]);
    expect(jwks.keys.every((k) => !("d" in k))).toBe(true);

    const { token } = await issueAttestation(input, { keys: rotated, issuer: ISSUER, now: NOW });
    expect(decodeProtectedHeader(token).kid).toBe("new");
    await expect(verifyAsPlatform(token, { jwks })).resolves.toBeTruthy();
  });

  it("keeps tokens signed with the previous key verifiable while it is still published", async () => {
    const oldJwk = await generateSigningJwk("old");
    const before = await loadSigningKeys(JSON.stringify([oldJwk]));
    const { token } = await issueAttestation(input, { keys: before, issuer: ISSUER, now: NOW });

    const after = await loadSigningKeys(JSON.stringify([await generateSigningJwk("new"), oldJwk]));
    await expect(verifyAsPlatform(token, { jwks: await publicJwks(after) })).resolves.toBeTruthy();
    const retired = await loadSigningKeys(JSON.stringify([await generateSigningJwk("new")]));
    await expect(verifyAsPlatform(token, { jwks: await publicJwks(retired) })).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
  });
});

describe("loadSigningKeys", () => {
  it("accepts a single JWK object as well as a list", async () => {
    const loaded = await loadSigningKeys(JSON.stringify(await generateSigningJwk("single")));
    expect(loaded.map((k) => k.kid)).toEqual(["single"]);
  });

  it("makes keys for the ES256 algorithm", async () => {
    expect(ATTESTATION_ALG).toBe("ES256");
    const jwk = await generateSigningJwk("k-alg");
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: "k-alg" });
    expect(typeof jwk.d).toBe("string");
  });

  it("refuses a JWK on another curve", async () => {
    const { privateKey } = await generateKeyPair("ES384", { extractable: true });
    const p384 = { ...(await exportJWK(privateKey)), kid: "p384" };
    await expect(loadSigningKeys(JSON.stringify([p384]))).rejects.toThrow(/P-256/);
  });

  it("refuses an RSA JWK", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const rsa = { ...(await exportJWK(privateKey)), kid: "rsa" };
    await expect(loadSigningKeys(JSON.stringify([rsa]))).rejects.toThrow(/P-256/);
  });

  it("refuses a JWK without a kid", async () => {
    const { kid: _kid, ...noKid } = await generateSigningJwk("k");
    await expect(loadSigningKeys(JSON.stringify([noKid]))).rejects.toThrow(/kid/);
  });

  it("refuses a public JWK, which cannot sign", async () => {
    const { d: _d, ...publicOnly } = await generateSigningJwk("pub");
    await expect(loadSigningKeys(JSON.stringify([publicOnly]))).rejects.toThrow(/private P-256/);
  });

  it("refuses an empty list", async () => {
    await expect(loadSigningKeys("[]")).rejects.toThrow(/empty/);
  });

  it("refuses the whole list when any one key is invalid", async () => {
    const good = await generateSigningJwk("good");
    const { kid: _kid, ...bad } = await generateSigningJwk("bad");
    await expect(loadSigningKeys(JSON.stringify([good, bad]))).rejects.toThrow(/kid/);
  });
});

describe("attestationIssuer", () => {
  it("prefers ATTESTATION_ISSUER, then the origin of AUTH_URL, then a development URN", () => {
    expect(attestationIssuer({ ATTESTATION_ISSUER: "https://issuer.example", AUTH_URL: "https://auth.example/api/auth" })).toBe("https://issuer.example");
    expect(attestationIssuer({ AUTH_URL: "https://auth.example/api/auth" })).toBe("https://auth.example");
    expect(attestationIssuer({})).toBe("urn:reclaim:dev");
  });
});
