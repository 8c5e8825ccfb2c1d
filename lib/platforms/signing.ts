import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), used for every request of the
 * partner protocol in both directions: `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several space-separated
 * signatures allowed so that a secret can be rotated without downtime.
 *
 * Framework-free on purpose: the reference partner server and the tests use the same code.
 */

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = "whsec_";

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type VerifyFailure = "missing_headers" | "bad_timestamp" | "stale" | "future" | "bad_signature";
export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure };

/** A new random secret in the `whsec_<base64>` form platforms are given. */
export function generateSecret(bytes = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString("base64");
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  if (key.length < 16 || key.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")) {
    throw new Error("A signing secret must be whsec_ followed by at least 16 bytes of base64");
  }
  return key;
}

function hmac(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  const mac = createHmac("sha256", key);
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest();
}

/** One `v1,<base64>` signature. */
export function sign(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  return `v1,${hmac(secretKey(secret), id, timestamp, body).toString("base64")}`;
}

/** The three headers of a signed message. With several secrets (a rotation), one signature each. */
export function signatureHeaders(
  secrets: string | readonly string[],
  body: string | Uint8Array,
  { id, now = new Date() }: { id: string; now?: Date },
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (list.length === 0) throw new Error("No signing secret");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": list.map((s) => sign(s, id, timestamp, body)).join(" "),
  };
}

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const key = Object.keys(source).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : source[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a received message against every secret we accept for the sender (current and, during a
 * rotation, previous). Any one `v1` signature matching any one secret is enough; comparisons are
 * constant-time.
 */
export function verify(
  secrets: string | readonly string[],
  headers: HeaderSource,
  body: string | Uint8Array,
  { now = new Date(), toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS }: { now?: Date; toleranceSeconds?: number } = {},
): VerifyResult {
  const id = header(headers, "webhook-id");
  const rawTimestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !rawTimestamp || !signatures) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(rawTimestamp)) return { ok: false, reason: "bad_timestamp" };
  const timestamp = Number(rawTimestamp);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (timestamp < nowSeconds - toleranceSeconds) return { ok: false, reason: "stale" };
  if (timestamp > nowSeconds + toleranceSeconds) return { ok: false, reason: "future" };

  const candidates = signatures
    .split(" ")
    .map((s) => s.split(","))
    .filter(([version, value]) => version === "v1" && value)
    .map(([, value]) => Buffer.from(value!, "base64"));
  const list = typeof secrets === "string" ? [secrets] : secrets;
  let matched = false;
  for (const secret of list) {
    let expected: Buffer;
    try {
      expected = hmac(secretKey(secret), id, timestamp, body);
    } catch {
      continue;
    }
    for (const candidate of candidates) {
      // Keep looping after a match so the time taken does not say which one matched.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true, id, timestamp } : { ok: false, reason: "bad_signature" };
}
