import type { IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret, secretKey, sign, SIGNATURE_TOLERANCE_SECONDS, signatureHeaders, verify } from "@/lib/platforms/signing";

// The test vector published with the Standard Webhooks specification and reference libraries.
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SPEC_NOW = new Date(SPEC.timestamp * 1000);

function specHeaders(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    "webhook-id": SPEC.id,
    "webhook-timestamp": String(SPEC.timestamp),
    "webhook-signature": SPEC.signature,
    ...overrides,
  };
}

describe("sign", () => {
  it("reproduces the Standard Webhooks specification's test vector", () => {
    expect(sign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("accepts the secret with or without the whsec_ prefix", () => {
    expect(sign(SPEC.secret.slice("whsec_".length), SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("gives the same signature for a Uint8Array body as for the equivalent string", () => {
    const bytes = new TextEncoder().encode(SPEC.body);
    expect(sign(SPEC.secret, SPEC.id, SPEC.timestamp, bytes)).toBe(SPEC.signature);
  });

  it("binds the id, the timestamp and the body", () => {
    expect(sign(SPEC.secret, "msg_other", SPEC.timestamp, SPEC.body)).not.toBe(SPEC.signature);
    expect(sign(SPEC.secret, SPEC.id, SPEC.timestamp + 1, SPEC.body)).not.toBe(SPEC.signature);
    expect(sign(SPEC.secret, SPEC.id, SPEC.timestamp, '{"test": 2432232315}')).not.toBe(SPEC.signature);
  });
});

describe("secretKey", () => {
  it("decodes the base64 after the whsec_ prefix", () => {
    expect(secretKey(SPEC.secret).equals(Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64"))).toBe(true);
    expect(secretKey(SPEC.secret).length).toBe(24);
  });

  it("refuses a secret shorter than 16 bytes", () => {
    expect(() => secretKey("whsec_" + Buffer.alloc(15, 1).toString("base64"))).toThrow(/at least 16 bytes/);
    expect(() => secretKey("whsec_")).toThrow();
  });

  it("refuses a secret that is not base64", () => {
    expect(() => secretKey("whsec_this is not base64 at all!!!")).toThrow(/base64/);
  });
});

describe("generateSecret", () => {
  it("makes a whsec_ secret of 32 random bytes by default, different every time", () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(a).length).toBe(32);
    expect(a).not.toBe(b);
  });

  it("honours a requested length", () => {
    expect(secretKey(generateSecret(48)).length).toBe(48);
  });
});

describe("signatureHeaders", () => {
  it("produces the three headers of the specification's test vector", () => {
    expect(signatureHeaders(SPEC.secret, SPEC.body, { id: SPEC.id, now: SPEC_NOW })).toEqual({
      "webhook-id": SPEC.id,
      "webhook-timestamp": String(SPEC.timestamp),
      "webhook-signature": SPEC.signature,
    });
  });

  it("uses whole seconds for the timestamp", () => {
    const headers = signatureHeaders(SPEC.secret, SPEC.body, { id: SPEC.id, now: new Date(SPEC.timestamp * 1000 + 999) });
    expect(headers["webhook-timestamp"]).toBe(String(SPEC.timestamp));
    expect(headers["webhook-signature"]).toBe(SPEC.signature);
  });

  it("defaults the timestamp to the current time", () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(SPEC.secret, SPEC.body, { id: SPEC.id });
    const after = Math.floor(Date.now() / 1000);
    const timestamp = Number(headers["webhook-timestamp"]);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
  });

  it("carries one space-separated signature per secret during a rotation", () => {
    const other = generateSecret();
    const headers = signatureHeaders([other, SPEC.secret], SPEC.body, { id: SPEC.id, now: SPEC_NOW });
    const parts = headers["webhook-signature"].split(" ");
    expect(parts).toEqual([sign(other, SPEC.id, SPEC.timestamp, SPEC.body), SPEC.signature]);
  });

  it("refuses an empty list of secrets", () => {
    expect(() => signatureHeaders([], SPEC.body, { id: SPEC.id })).toThrow(/No signing secret/);
  });
});

describe("verify", () => {
  it("accepts the specification's test vector and reports id and timestamp", () => {
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: true, id: SPEC.id, timestamp: SPEC.timestamp });
  });

  it("rejects a tampered body", () => {
    expect(verify(SPEC.secret, specHeaders(), '{"test": 2432232315}', { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a signature made with another secret", () => {
    expect(verify(generateSecret(), specHeaders(), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered id or timestamp", () => {
    expect(verify(SPEC.secret, specHeaders({ "webhook-id": "msg_other" }), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verify(SPEC.secret, specHeaders({ "webhook-timestamp": String(SPEC.timestamp + 1) }), SPEC.body, { now: SPEC_NOW })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("uses a five-minute tolerance", () => {
    expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
  });

  it("rejects a timestamp more than five minutes old as stale", () => {
    const now = new Date((SPEC.timestamp + SIGNATURE_TOLERANCE_SECONDS + 1) * 1000);
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now })).toEqual({ ok: false, reason: "stale" });
  });

  it("rejects a timestamp more than five minutes ahead as future", () => {
    const now = new Date((SPEC.timestamp - SIGNATURE_TOLERANCE_SECONDS - 1) * 1000);
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now })).toEqual({ ok: false, reason: "future" });
  });

  it("accepts timestamps exactly at the edge of the tolerance on both sides", () => {
    const late = new Date((SPEC.timestamp + SIGNATURE_TOLERANCE_SECONDS) * 1000 + 999);
    const early = new Date((SPEC.timestamp - SIGNATURE_TOLERANCE_SECONDS) * 1000);
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now: late }).ok).toBe(true);
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now: early }).ok).toBe(true);
  });

  it("honours a custom tolerance", () => {
    const now = new Date((SPEC.timestamp + 11) * 1000);
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now, toleranceSeconds: 10 })).toEqual({ ok: false, reason: "stale" });
    expect(verify(SPEC.secret, specHeaders(), SPEC.body, { now, toleranceSeconds: 11 }).ok).toBe(true);
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("reports missing_headers without %s", (name) => {
    const headers = specHeaders();
    delete headers[name];
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "missing_headers" });
    expect(verify(SPEC.secret, specHeaders({ [name]: "" }), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it.each(["abc", "1614265330.5", "-1614265330", "1e9", " 1614265330", "1234567890123"])("reports bad_timestamp for %j", (timestamp) => {
    expect(verify(SPEC.secret, specHeaders({ "webhook-timestamp": timestamp }), SPEC.body, { now: SPEC_NOW })).toEqual({
      ok: false,
      reason: "bad_timestamp",
    });
  });

  it("accepts a header with several signatures of which only the second matches", () => {
    const wrong = sign(generateSecret(), SPEC.id, SPEC.timestamp, SPEC.body);
    const headers = specHeaders({ "webhook-signature": `${wrong} ${SPEC.signature}` });
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW }).ok).toBe(true);
  });

  it("rejects a header with several signatures none of which matches", () => {
    const wrong1 = sign(generateSecret(), SPEC.id, SPEC.timestamp, SPEC.body);
    const wrong2 = sign(generateSecret(), SPEC.id, SPEC.timestamp, SPEC.body);
    const headers = specHeaders({ "webhook-signature": `${wrong1} ${wrong2}` });
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("accepts a message signed with the previous secret when given the list of current and previous secrets", () => {
    const current = generateSecret();
    expect(verify([current, SPEC.secret], specHeaders(), SPEC.body, { now: SPEC_NOW }).ok).toBe(true);
    expect(verify([current], specHeaders(), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("skips a malformed secret in the list instead of throwing", () => {
    expect(verify(["whsec_short", SPEC.secret], specHeaders(), SPEC.body, { now: SPEC_NOW }).ok).toBe(true);
    expect(verify(["whsec_short"], specHeaders(), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects everything when given no secret at all", () => {
    expect(verify([], specHeaders(), SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("ignores signatures with an unknown version prefix, even when their value matches", () => {
    const value = SPEC.signature.slice("v1,".length);
    for (const prefix of ["v1a", "v2", "V1", "v1a,v1"]) {
      const headers = specHeaders({ "webhook-signature": `${prefix},${value}` });
      expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW }), prefix).toEqual({ ok: false, reason: "bad_signature" });
    }
    const mixed = specHeaders({ "webhook-signature": `v1a,${value} ${SPEC.signature}` });
    expect(verify(SPEC.secret, mixed, SPEC.body, { now: SPEC_NOW }).ok).toBe(true);
  });

  it("rejects a v1 signature with no value or a truncated value", () => {
    for (const signature of ["v1,", "v1", SPEC.signature.slice(0, -4)]) {
      expect(verify(SPEC.secret, specHeaders({ "webhook-signature": signature }), SPEC.body, { now: SPEC_NOW }), signature).toEqual({
        ok: false,
        reason: "bad_signature",
      });
    }
  });

  it("reads the headers from a fetch Headers object, whatever their case", () => {
    const headers = new Headers({
      "Webhook-Id": SPEC.id,
      "Webhook-Timestamp": String(SPEC.timestamp),
      "Webhook-Signature": SPEC.signature,
    });
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW })).toEqual({ ok: true, id: SPEC.id, timestamp: SPEC.timestamp });
    headers.delete("webhook-signature");
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("reads the headers from a Node IncomingHttpHeaders record, including array values", () => {
    const headers: IncomingHttpHeaders = {
      host: "partner.example",
      "content-type": "application/json",
      "webhook-id": SPEC.id,
      "webhook-timestamp": String(SPEC.timestamp),
      "webhook-signature": SPEC.signature,
    };
    expect(verify(SPEC.secret, headers, SPEC.body, { now: SPEC_NOW }).ok).toBe(true);
    const repeated: IncomingHttpHeaders = { ...headers, "webhook-id": [SPEC.id, "msg_other"] };
    expect(verify(SPEC.secret, repeated, SPEC.body, { now: SPEC_NOW })).toEqual({ ok: true, id: SPEC.id, timestamp: SPEC.timestamp });
  });

  it("verifies a Uint8Array body like the equivalent string", () => {
    const bytes = new TextEncoder().encode(SPEC.body);
    expect(verify(SPEC.secret, specHeaders(), bytes, { now: SPEC_NOW }).ok).toBe(true);
    expect(verify(SPEC.secret, specHeaders(), Buffer.from(SPEC.body), { now: SPEC_NOW }).ok).toBe(true);
    const tampered = new TextEncoder().encode('{"test": 2432232315}');
    expect(verify(SPEC.secret, specHeaders(), tampered, { now: SPEC_NOW })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("round-trips with signatureHeaders, including non-ASCII bodies", () => {
    const secret = generateSecret();
    const body = JSON.stringify({ number: "+8613800138000", name: "张三 ✓" });
    const headers = signatureHeaders(secret, body, { id: "msg_roundtrip" });
    expect(verify(secret, headers, body)).toMatchObject({ ok: true, id: "msg_roundtrip" });
    expect(verify(secret, headers, Buffer.from(body, "utf8")).ok).toBe(true);
  });
});

describe("compatibility with the standardwebhooks reference library", () => {
  const body = JSON.stringify({ event: "unbind.requested", number: "+8613800138000" });

  it("computes the same signature as the reference library", () => {
    const secret = generateSecret();
    const date = new Date(SPEC.timestamp * 1000);
    expect(new Webhook(secret).sign(SPEC.id, date, body)).toBe(sign(secret, SPEC.id, SPEC.timestamp, body));
    expect(new Webhook(SPEC.secret).sign(SPEC.id, date, SPEC.body)).toBe(SPEC.signature);
  });

  it("produces headers the reference library accepts, with and without the whsec_ prefix", () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, body, { id: "msg_ours" });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(secret.slice("whsec_".length)).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("produces rotation headers the reference library accepts with either secret", () => {
    const current = generateSecret();
    const previous = generateSecret();
    const headers = signatureHeaders([current, previous], body, { id: "msg_rotation" });
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("accepts a signature made by the reference library", () => {
    const secret = generateSecret();
    const now = new Date();
    const headers = {
      "webhook-id": "msg_theirs",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_theirs", now, body),
    };
    expect(verify(secret, headers, body)).toMatchObject({ ok: true, id: "msg_theirs" });
  });

  it("agrees with the reference library in rejecting a tampered body", () => {
    const secret = generateSecret();
    const tampered = body.replace("8000", "8001");

    const ours = signatureHeaders(secret, body, { id: "msg_ours" });
    expect(() => new Webhook(secret).verify(tampered, ours)).toThrow();
    expect(verify(secret, ours, tampered)).toEqual({ ok: false, reason: "bad_signature" });

    const now = new Date();
    const theirs = {
      "webhook-id": "msg_theirs",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_theirs", now, body),
    };
    expect(() => new Webhook(secret).verify(tampered, theirs)).toThrow();
    expect(verify(secret, theirs, tampered)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("agrees with the reference library in rejecting a signature made with another secret", () => {
    const headers = signatureHeaders(generateSecret(), body, { id: "msg_ours" });
    const secret = generateSecret();
    expect(() => new Webhook(secret).verify(body, headers)).toThrow();
    expect(verify(secret, headers, body)).toEqual({ ok: false, reason: "bad_signature" });
  });
});

describe("header names", () => {
  it("are matched case-insensitively in a plain record", () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, "{}", { id: "msg_case" });
    const shouted = { "Webhook-Id": headers["webhook-id"], "Webhook-Timestamp": headers["webhook-timestamp"], "Webhook-Signature": headers["webhook-signature"] };
    expect(verify(secret, shouted, "{}").ok).toBe(true);
  });
});
