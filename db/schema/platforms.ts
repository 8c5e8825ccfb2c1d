import { sql } from "drizzle-orm";
import { boolean, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { PLATFORM_CATEGORIES, PLATFORM_DISCLOSURES, PLATFORM_STATUSES } from "../enums";
import { createdAt } from "./columns";

export const platformCategory = pgEnum("platform_category", PLATFORM_CATEGORIES);
/** `category`: the platform is shown to owners by its category only ("a lending platform"). */
export const platformDisclosure = pgEnum("platform_disclosure", PLATFORM_DISCLOSURES);
export const platformStatus = pgEnum("platform_status", PLATFORM_STATUSES);

export const platforms = pgTable("platforms", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  category: platformCategory("category").notNull(),
  disclosure: platformDisclosure("disclosure").notNull().default("named"),
  baseUrl: text("base_url").notNull(),
  status: platformStatus("status").notNull().default("active"),
  /** Fictional platform served by the reference partner server. */
  sandbox: boolean("sandbox").notNull().default(false),
  /**
   * Standard Webhooks secrets (`whsec_…`) shared with the platform. The first signs what we send;
   * all of them are accepted on what the platform sends, so a secret can be rotated.
   */
  signingSecrets: text("signing_secrets").array().notNull().default(sql`'{}'::text[]`),
  /**
   * How the platform's messages identify it: SMS signatures (the 易贷花 of 【易贷花】) and sender
   * numbers (1069…, 95…). Reports are matched to the platform by these.
   */
  senderIds: text("sender_ids").array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});

/**
 * Callbacks already applied, by webhook-id: a redelivered callback is acknowledged and ignored.
 * A `webhook-id` is unique per platform only (each platform picks its own).
 */
export const partnerCallbacks = pgTable(
  "partner_callbacks",
  {
    webhookId: text("webhook_id").notNull(),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.webhookId] })],
);

export type Platform = typeof platforms.$inferSelect;
export type NewPlatform = typeof platforms.$inferInsert;
