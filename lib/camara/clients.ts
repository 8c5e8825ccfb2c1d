import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { apiClients, platforms, type ApiClient } from "@/db/schema";

/**
 * Client-credentials clients of the platform APIs (db/schema/api-clients.ts).
 *
 * Why SHA-256 and not argon2id (lib/auth/password.ts): the secret is 32 random bytes we generate,
 * not a password a person chose, so there is nothing to guess — 2^256 candidates — and a slow hash
 * buys no safety. It would instead cost 19 MiB and tens of milliseconds of CPU on every token
 * request, which turns the token endpoint into an easy way to exhaust the server. A plain digest,
 * compared in constant time, is what such secrets are stored as (GitHub's and Stripe's API keys).
 */
export const CHECK_SCOPE = "number-recycling:check";
export const CLIENT_SCOPES = [CHECK_SCOPE] as const;

const CLIENT_ID_PREFIX = "rc_";
const SECRET_PREFIX = "rcs_";

export const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

const newSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;

export type IssueClientResult = { ok: true; clientId: string; clientSecret: string } | { ok: false; error: "unknown_platform" };

/** A new client for the platform with `slug`; the secret is returned here once and never again. */
export async function issueClient(db: DbOrTx, input: { platformSlug: string; ratePerSecond?: number }): Promise<IssueClientResult> {
  const [platform] = await db.select({ id: platforms.id }).from(platforms).where(eq(platforms.slug, input.platformSlug));
  if (!platform) return { ok: false, error: "unknown_platform" };
  const clientId = `${CLIENT_ID_PREFIX}${randomBytes(16).toString("base64url")}`;
  const clientSecret = newSecret();
  await db.insert(apiClients).values({
    clientId,
    platformId: platform.id,
    secretHash: hashSecret(clientSecret),
    ...(input.ratePerSecond ? { ratePerSecond: input.ratePerSecond } : {}),
  });
  return { ok: true, clientId, clientSecret };
}

/**
 * A new secret for a live client: the old one stops working at once, and so do the access tokens
 * issued with it (they carry the secret version), which is what a rotation after a leak needs.
 */
export async function rotateClientSecret(db: DbOrTx, clientId: string, now: Date): Promise<{ ok: true; clientSecret: string } | { ok: false; error: "not_found" }> {
  const clientSecret = newSecret();
  const rows = await db
    .update(apiClients)
    .set({ secretHash: hashSecret(clientSecret), secretVersion: sql`${apiClients.secretVersion} + 1`, rotatedAt: now })
    .where(sql`${apiClients.clientId} = ${clientId} and ${apiClients.revokedAt} is null`)
    .returning({ id: apiClients.id });
  return rows.length ? { ok: true, clientSecret } : { ok: false, error: "not_found" };
}

/** Ends a client for good: no new tokens, and its live tokens are refused on their next call. */
export async function revokeClient(db: DbOrTx, clientId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiClients)
    .set({ revokedAt: now })
    .where(sql`${apiClients.clientId} = ${clientId} and ${apiClients.revokedAt} is null`)
    .returning({ id: apiClients.id });
  return rows.length > 0;
}

export type LiveClient = Pick<ApiClient, "id" | "clientId" | "platformId" | "secretVersion" | "scopes" | "ratePerSecond"> & { platformActive: boolean };

/** The client by id when it is not revoked, with whether its platform may use the API (status active). */
export async function liveClient(db: DbOrTx, clientId: string): Promise<(LiveClient & { secretHash: string }) | null> {
  const [row] = await db
    .select({
      id: apiClients.id,
      clientId: apiClients.clientId,
      platformId: apiClients.platformId,
      secretHash: apiClients.secretHash,
      secretVersion: apiClients.secretVersion,
      scopes: apiClients.scopes,
      ratePerSecond: apiClients.ratePerSecond,
      revokedAt: apiClients.revokedAt,
      platformStatus: platforms.status,
    })
    .from(apiClients)
    .innerJoin(platforms, eq(platforms.id, apiClients.platformId))
    .where(eq(apiClients.clientId, clientId));
  if (!row || row.revokedAt) return null;
  const { revokedAt: _r, platformStatus, ...client } = row;
  return { ...client, platformActive: platformStatus === "active" };
}

// Compared against on a miss so an unknown client id takes as long as a wrong secret.
const DUMMY_HASH = hashSecret("unknown-client");

/** The client whose id and secret these are, or null (unknown, revoked or wrong secret alike). */
export async function authenticateClient(db: DbOrTx, clientId: string, clientSecret: string): Promise<LiveClient | null> {
  const client = clientId.length <= 200 ? await liveClient(db, clientId) : null;
  const given = Buffer.from(hashSecret(clientSecret), "hex");
  const expected = Buffer.from(client?.secretHash ?? DUMMY_HASH, "hex");
  const match = timingSafeEqual(given, expected);
  if (!client || !match) return null;
  const { secretHash: _s, ...rest } = client;
  return rest;
}
