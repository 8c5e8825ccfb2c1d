import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";

// Staff passwords only (owners sign in by SMS code). argon2id with OWASP's minimum parameters
// (19 MiB, 2 passes, 1 lane); they are stored with each hash, so a hash made with other parameters
// is still verified and then re-hashed on the next successful sign-in (needsRehash).
const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id (a const enum, not importable here) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const ARGON2_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password.normalize("NFKC"), ARGON2);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith("$argon2")) {
    try {
      return await argon2Verify(stored, password.normalize("NFKC"));
    } catch {
      return false;
    }
  }
  return verifyScrypt(password, stored);
}

/** True for a hash from before argon2id (scrypt) or with other argon2 parameters: re-hash it after a successful sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(ARGON2_PREFIX);
}

// The earlier scheme, kept so that accounts created before argon2id can still sign in (once: the
// hash is replaced then). Format: scrypt$N$r$p$salt$key.
const SCRYPT_KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r: rr, p: pp, maxmem: 128 * n * rr * 2 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, SCRYPT_KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** An scrypt hash in the old format: only for tests of the upgrade path. */
export async function legacyScryptHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const [n, r, p] = [1 << 15, 8, 1];
  const key = await scrypt(password, salt, n, r, p);
  return ["scrypt", n, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !rr || !pp || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), Number(n), Number(rr), Number(pp));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A well-formed argon2id hash of a random password: verifying against it costs as much as a real one. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
