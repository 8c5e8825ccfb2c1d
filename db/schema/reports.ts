import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { REPORT_CATEGORIES, REPORT_CHANNELS, REPORT_STATUSES } from "../enums";
import { carriers, numberTenures, owners } from "./owners";
import { platforms } from "./platforms";

export const reportChannel = pgEnum("report_channel", REPORT_CHANNELS);
export const reportCategory = pgEnum("report_category", REPORT_CATEGORIES);
/** The statuses and their order: see REPORT_STATUSES in db/enums.ts. */
export const reportStatus = pgEnum("report_status", REPORT_STATUSES);

/**
 * A message meant for someone else that an owner reported. The text and the sender are encrypted
 * at rest (AES-256-GCM, lib/security/encryption.ts) and decrypted only for the owner and the
 * assigned agent; whatever leaves that view is redacted first (lib/reports/redact.ts).
 */
export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    /** The carrier whose agents work the report when no platform can. */
    carrierId: uuid("carrier_id").references(() => carriers.id),
    channel: reportChannel("channel").notNull(),
    category: reportCategory("category").notNull(),
    /** What the classifier suggested, kept to measure it against the owner's choice. */
    suggestedCategory: reportCategory("suggested_category").notNull(),
    platformId: uuid("platform_id").references(() => platforms.id),
    /** Ciphertext of the sender's company or name as the owner typed it, when no participating platform fits. */
    companyEnc: text("company_enc"),
    /** Ciphertext of the message text or call summary. */
    textEnc: text("text_enc").notNull(),
    /** Ciphertext of the sender number or name, when given. */
    senderEnc: text("sender_enc"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    status: reportStatus("status").notNull().default("received"),
    /** Why the report is where it is, as a code shown in words: contact_stopped, disputed, no_platform, delivery_failed, owner_closed. */
    reason: text("reason"),
    /** The latest answer as the platform or agent wrote it. */
    note: text("note"),
    /**
     * Keyed hash of the normalised content (lib/reports/service.ts): the same message reported
     * again while the first report is open is merged into it.
     */
    dedupeKey: text("dedupe_key").notNull(),
    duplicates: integer("duplicates").notNull().default(0),
    /**
     * "It happened again": the resolved or closed report of the same holder this one repeats. A new
     * report rather than a reopened one, so each incident keeps its own date, timeline and
     * platform answer (and the platform gets a new report id to act on).
     */
    repeatOf: uuid("repeat_of").references((): AnyPgColumn => reports.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("reports_owner_idx").on(t.ownerId, t.createdAt),
    index("reports_tenure_idx").on(t.tenureId, t.createdAt),
    index("reports_repeat_of_idx").on(t.repeatOf),
    // Duplicates are merged within one holder's tenure only: the owner row follows the number.
    uniqueIndex("reports_open_dedupe_idx").on(t.tenureId, t.dedupeKey).where(sql`${t.closedAt} is null`),
  ],
);

/** A report's timeline: every status it went through, with when and what was said. */
export const reportEvents = pgTable(
  "report_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reportId: uuid("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    status: reportStatus("status").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    reason: text("reason"),
    note: text("note"),
  },
  (t) => [index("report_events_report_idx").on(t.reportId, t.at)],
);

/** Screenshots attached to a report: stored encrypted (disk or Vercel Blob), metadata stripped. */
export const reportEvidence = pgTable(
  "report_evidence",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reportId: uuid("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull().unique(),
    mime: text("mime").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("report_evidence_report_idx").on(t.reportId)],
);

export type Report = typeof reports.$inferSelect;
export type { ReportStatus } from "../enums";
