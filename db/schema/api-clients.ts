import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { platforms } from "./platforms";

/**
 * OAuth 2.0 client-credentials clients of the platform APIs (the CAMARA NumberRecycling check,
 * lib/camara/). A platform may hold several (one per system of theirs), each rotated or revoked on
 * its own. The secret is 32 random bytes shown once; only its SHA-256 is kept (lib/camara/clients.ts
 * says why not argon2id).
 */
export const apiClients = pgTable(
  "api_clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Public identifier sent as `client_id`, e.g. `rc_…`. */
    clientId: text("client_id").notNull().unique(),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    /** Hex SHA-256 of the current secret. */
    secretHash: text("secret_hash").notNull(),
    /** Bumped by each rotation; access tokens carry it, so a rotation ends the tokens issued before it. */
    secretVersion: integer("secret_version").notNull().default(1),
    scopes: text("scopes").array().notNull().default(sql`'{number-recycling:check}'::text[]`),
    /** Checks per second this client may make (the 429 with Retry-After above it). */
    ratePerSecond: integer("rate_per_second").notNull().default(100),
    createdAt: createdAt(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_clients_platform_idx").on(t.platformId), check("api_clients_rate_positive", sql`${t.ratePerSecond} > 0`)],
);

export type ApiClient = typeof apiClients.$inferSelect;
