import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * Encryption at rest for what owners report (message texts, senders, screenshots): AES-256-GCM
 * with a random 96-bit IV per value and the row it belongs to as associated data, so a ciphertext
 * copied into another row does not decrypt.
 *
 * Keys come from DATA_ENCRYPTION_KEYS: base64 32-byte keys separated by commas. The first
 * encrypts; all decrypt, so a key can be rotated (add the new key first, re-encrypt, then drop the
 * old one). Each ciphertext names its key by an id derived from the key. Production requires it;
 * in development and tests one key is generated on first start into .data/.
 *
 * Text format:  `v1.<kid>.<iv>.<ciphertext+tag>` (base64url parts).
 * Bytes format: "RCE1" | kid (8) | iv (12) | tag (16) | ciphertext.
 */
const ALG = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAGIC = Buffer.from("RCE1");
const DEV_KEY_FILE = () => path.join(process.cwd(), ".data", "data-encryption.key");

export interface DataKey {
  /** 16 hex characters: the first 8 bytes of SHA-256 over the key. */
  kid: string;
  key: Buffer;
}

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt: ${reason}`);
    this.name = "DecryptionError";
  }
}

function toKey(raw: Buffer): DataKey {
  if (raw.length !== 32) throw new Error("DATA_ENCRYPTION_KEYS must hold base64 keys of exactly 32 bytes (openssl rand -base64 32)");
  return { kid: createHash("sha256").update(raw).digest("hex").slice(0, 16), key: raw };
}

export function parseDataKeys(configured: string): DataKey[] {
  const keys = configured
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => toKey(Buffer.from(k, "base64")));
  if (keys.length === 0) throw new Error("DATA_ENCRYPTION_KEYS is empty");
  return keys;
}

function devKeys(): DataKey[] {
  // Production, sandboxes included: every instance must share the key (and a serverless disk is
  // read-only), or one instance could not read what another wrote.
  if (env().production) throw new Error("DATA_ENCRYPTION_KEYS is required in production");
  const file = DEV_KEY_FILE();
  try {
    return parseDataKeys(readFileSync(file, "utf8"));
  } catch {
    const key = randomBytes(32).toString("base64");
    mkdirSync(path.dirname(file), { recursive: true });
    // wx: two processes starting at once keep the first one's key.
    try {
      writeFileSync(file, key, { mode: 0o600, flag: "wx" });
    } catch {
      return parseDataKeys(readFileSync(file, "utf8"));
    }
    return parseDataKeys(key);
  }
}

const globalForKeys = globalThis as unknown as { __reclaimDataKeys?: DataKey[] };

/** This process's keys, loaded once. */
export function dataKeys(): DataKey[] {
  const configured = env().DATA_ENCRYPTION_KEYS;
  globalForKeys.__reclaimDataKeys ??= configured?.trim() ? parseDataKeys(configured) : devKeys();
  return globalForKeys.__reclaimDataKeys;
}

function seal(plain: Buffer, aad: string, key: DataKey) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key.key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, body, tag: cipher.getAuthTag() };
}

function open(parts: { kid: string; iv: Buffer; body: Buffer; tag: Buffer }, aad: string, keys: DataKey[]): Buffer {
  const key = keys.find((k) => k.kid === parts.kid);
  if (!key) throw new DecryptionError("unknown key");
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) throw new DecryptionError("malformed");
  try {
    const decipher = createDecipheriv(ALG, key.key, parts.iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.body), decipher.final()]);
  } catch {
    throw new DecryptionError("authentication failed");
  }
}

/** Encrypts a string bound to `aad` (e.g. "report:<id>:text"). */
export function encryptText(plain: string, aad: string, keys: DataKey[] = dataKeys()): string {
  const key = keys[0]!;
  const { iv, body, tag } = seal(Buffer.from(plain, "utf8"), aad, key);
  return ["v1", key.kid, iv.toString("base64url"), Buffer.concat([body, tag]).toString("base64url")].join(".");
}

export function decryptText(sealed: string, aad: string, keys: DataKey[] = dataKeys()): string {
  const [version, kid, iv, rest] = sealed.split(".");
  if (version !== "v1" || !kid || !iv || rest === undefined) throw new DecryptionError("malformed");
  const all = Buffer.from(rest, "base64url");
  if (all.length < TAG_BYTES) throw new DecryptionError("malformed");
  const body = all.subarray(0, all.length - TAG_BYTES);
  const tag = all.subarray(all.length - TAG_BYTES);
  return open({ kid, iv: Buffer.from(iv, "base64url"), body, tag }, aad, keys).toString("utf8");
}

/** Encrypts bytes (a screenshot) bound to `aad`. */
export function encryptBytes(plain: Uint8Array, aad: string, keys: DataKey[] = dataKeys()): Uint8Array {
  const key = keys[0]!;
  const { iv, body, tag } = seal(Buffer.from(plain), aad, key);
  return Buffer.concat([MAGIC, Buffer.from(key.kid, "hex"), iv, tag, body]);
}

export function decryptBytes(sealed: Uint8Array, aad: string, keys: DataKey[] = dataKeys()): Uint8Array {
  const buf = Buffer.from(sealed);
  const header = MAGIC.length + 8 + IV_BYTES + TAG_BYTES;
  if (buf.length < header || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new DecryptionError("malformed");
  let at = MAGIC.length;
  const kid = buf.subarray(at, (at += 8)).toString("hex");
  const iv = buf.subarray(at, (at += IV_BYTES));
  const tag = buf.subarray(at, (at += TAG_BYTES));
  return open({ kid, iv, body: buf.subarray(at), tag }, aad, keys);
}
