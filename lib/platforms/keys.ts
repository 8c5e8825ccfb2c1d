import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { env } from "@/lib/env";

/**
 * The keys that sign unbind attestations. Configured as ATTESTATION_PRIVATE_KEYS, a JSON array of
 * private ES256 JWKs with a `kid` each: the first signs, all are published at
 * /.well-known/jwks.json so that a platform still verifies tokens signed just before a rotation.
 * Without configuration (development, tests, a sandbox deployment) one key is generated on first
 * start and kept in .data/.
 */
export const ATTESTATION_ALG = "ES256";
const DEV_KEY_FILE = path.join(process.cwd(), ".data", "attestation-keys.json");

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function generateSigningJwk(kid = `reclaim-${new Date().toISOString().slice(0, 10)}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ATTESTATION_ALG, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: ATTESTATION_ALG, use: "sig" };
}

function parseConfigured(raw: string): JWK[] {
  const parsed = JSON.parse(raw) as unknown;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) throw new Error("ATTESTATION_PRIVATE_KEYS is an empty list");
  for (const jwk of list as JWK[]) {
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d || !jwk.kid) {
      throw new Error("ATTESTATION_PRIVATE_KEYS must hold private P-256 JWKs (kty EC, crv P-256, d) each with a kid");
    }
  }
  return list as JWK[];
}

async function devKeys(): Promise<JWK[]> {
  if (!env().local) {
    throw new Error("ATTESTATION_PRIVATE_KEYS is required in production");
  }
  try {
    return parseConfigured(readFileSync(DEV_KEY_FILE, "utf8"));
  } catch {
    const jwks = [await generateSigningJwk("reclaim-dev-1")];
    mkdirSync(path.dirname(DEV_KEY_FILE), { recursive: true });
    writeFileSync(DEV_KEY_FILE, JSON.stringify(jwks), { mode: 0o600 });
    return jwks;
  }
}

export async function loadSigningKeys(configured: string | undefined = env().ATTESTATION_PRIVATE_KEYS): Promise<SigningKey[]> {
  const jwks = configured?.trim() ? parseConfigured(configured) : await devKeys();
  return Promise.all(
    jwks.map(async (jwk) => {
      const { d: _d, ...publicJwk } = jwk;
      return {
        kid: jwk.kid!,
        privateKey: (await importJWK({ ...jwk, alg: ATTESTATION_ALG }, ATTESTATION_ALG)) as CryptoKey,
        publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y, kid: jwk.kid, alg: ATTESTATION_ALG, use: "sig" },
      };
    }),
  );
}

const globalForKeys = globalThis as unknown as { __reclaimSigningKeys?: Promise<SigningKey[]> };

/** This process's keys, loaded once. */
export function signingKeys(): Promise<SigningKey[]> {
  globalForKeys.__reclaimSigningKeys ??= loadSigningKeys();
  return globalForKeys.__reclaimSigningKeys;
}

/** The public JWK Set served at /.well-known/jwks.json. */
export async function publicJwks(keys?: SigningKey[]): Promise<{ keys: JWK[] }> {
  return { keys: (keys ?? (await signingKeys())).map((k) => k.publicJwk) };
}
