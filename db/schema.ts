import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const carriers = pgTable("carriers", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Stable short code used in config and partner events: cmcc, cucc, ctcc. */
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  createdAt: createdAt(),
});

export const tenureSource = pgEnum("tenure_source", ["carrier_record", "self_declared", "agent_confirmed"]);

/**
 * Who held a number and from when. Tenure start is the key fact of the product: a platform
 * binding made before it belongs to a previous owner.
 */
export const numberTenures = pgTable(
  "number_tenures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** E.164, e.g. +8613800138000. */
    number: text("number").notNull(),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    source: tenureSource("source").notNull(),
    simChangedAt: timestamp("sim_changed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("number_tenures_number_idx").on(t.number, t.startedAt),
    // A number has at most one open tenure at a time.
    uniqueIndex("number_tenures_one_open_idx").on(t.number).where(sql`${t.endedAt} is null`),
    check("number_tenures_e164", sql`${t.number} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check("number_tenures_order", sql`${t.endedAt} is null or ${t.endedAt} > ${t.startedAt}`),
  ],
);

export const platformCategory = pgEnum("platform_category", [
  "messaging",
  "ride_hailing",
  "e_commerce",
  "payments",
  "lending",
  "food_delivery",
  "government",
  "social",
]);

/** `category`: the platform is shown to owners by its category only ("a lending platform"). */
export const platformDisclosure = pgEnum("platform_disclosure", ["named", "category"]);
export const platformStatus = pgEnum("platform_status", ["active", "paused", "disabled"]);

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

export const staffRole = pgEnum("staff_role", ["agent", "regulator", "admin"]);

export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    displayName: text("display_name").notNull(),
    role: staffRole("role").notNull(),
    /** Agents work the cases of one carrier; regulators and admins see across carriers. */
    carrierId: uuid("carrier_id").references(() => carriers.id),
    passwordHash: text("password_hash").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** Bumped by sign-out everywhere and by any change of status or role: older sessions end at once. */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [check("staff_agent_has_carrier", sql`${t.role} <> 'agent' or ${t.carrierId} is not null`)],
);

export const actorType = pgEnum("actor_type", ["owner", "staff", "system", "platform"]);

/**
 * Append-only record of who did or read what. It names subjects by id, never by phone number or
 * message content.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_subject_idx").on(t.subjectType, t.subjectId, t.at), index("audit_log_at_idx").on(t.at)],
);

export type Carrier = typeof carriers.$inferSelect;
export type NumberTenure = typeof numberTenures.$inferSelect;
export type NewNumberTenure = typeof numberTenures.$inferInsert;
export type Platform = typeof platforms.$inferSelect;
export type NewPlatform = typeof platforms.$inferInsert;
export type StaffUser = typeof staffUsers.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

/** A number owner, known only by the number they proved they hold. */
export const owners = pgTable("owners", {
  id: uuid("id").primaryKey().defaultRandom(),
  number: text("number").notNull().unique(),
  termsVersion: text("terms_version").notNull(),
  termsAcceptedAt: timestamp("terms_accepted_at", { withTimezone: true }).notNull(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  /** Last time the owner proved the number by SMS code (sign-in or re-verification). */
  lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
  /** Bumped by "sign out everywhere": every session issued before ends on its next request. */
  sessionVersion: integer("session_version").notNull().default(0),
  createdAt: createdAt(),
});

/**
 * Sessions ended by signing out. A JWT session cannot be taken back from the browser, so a copy of
 * the cookie would outlive sign-out; each request checks its session id here. Rows are purged once
 * the session would have expired anyway (the absolute limit).
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

export const otpPurpose = pgEnum("otp_purpose", ["sign_in", "reverify"]);

/**
 * One code sent by SMS. The code itself is never stored: only an HMAC bound to this challenge's id,
 * purpose and number. Rows are deleted a day after they expire.
 */
export const otpChallenges = pgTable(
  "otp_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    purpose: otpPurpose("purpose").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    termsVersion: text("terms_version"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    /** Set when a resend replaced this code. */
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
  },
  (t) => [index("otp_challenges_number_idx").on(t.number, t.purpose, t.createdAt), index("otp_challenges_expires_idx").on(t.expiresAt)],
);

/**
 * Fixed-window counters shared by every instance (send limits, failed-code counts) and locks.
 * Keys name a number or an IP only through an HMAC.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
});

/** Messages the development SMS provider "sent": read by /dev/sms and the e2e tests. */
export const smsOutbox = pgTable(
  "sms_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    body: text("body").notNull(),
    /** SHA-256 of the device id of the browser that asked for the message: a public sandbox shows it to that browser only. */
    viewer: text("viewer"),
    createdAt: createdAt(),
  },
  (t) => [index("sms_outbox_to_idx").on(t.to, t.id), index("sms_outbox_viewer_idx").on(t.viewer, t.id)],
);

export type Owner = typeof owners.$inferSelect;
export type OtpChallenge = typeof otpChallenges.$inferSelect;

export const consentPurpose = pgEnum("consent_purpose", ["platform_lookup"]);

/**
 * Separate consent (PIPL art. 23) before the number goes to any platform: which platforms were
 * listed, the text version agreed to and when. Tied to the tenure, so a later holder of the number
 * never inherits it.
 */
export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    purpose: consentPurpose("purpose").notNull(),
    textVersion: text("text_version").notNull(),
    platformIds: uuid("platform_ids").array().notNull(),
    givenAt: timestamp("given_at", { withTimezone: true }).notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [index("consents_owner_idx").on(t.ownerId, t.tenureId, t.purpose, t.givenAt)],
);

/** One "which platforms still have my number?" request of an owner, for the tenure it was made in. */
export const lookups = pgTable(
  "lookups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    /** The tenure start sent to platforms, kept as it was at the time. */
    tenureStart: timestamp("tenure_start", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("lookups_owner_idx").on(t.ownerId, t.startedAt)],
);

export const lookupStatus = pgEnum("lookup_status", [
  "pending",
  "bound_before_tenure",
  "bound_since_tenure",
  "not_bound",
  "unavailable",
]);

/** A platform's answer to one look-up: the enum only, never anything about the account. */
export const lookupResults = pgTable(
  "lookup_results",
  {
    lookupId: uuid("lookup_id")
      .notNull()
      .references(() => lookups.id, { onDelete: "cascade" }),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    status: lookupStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Why the platform is unavailable or was retried: timeout, http_503, bad_signature, … */
    error: text("error"),
    latencyMs: integer("latency_ms"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    /** When a platform that did not answer is asked again; null once final. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    /** A worker asking the platform holds the row until then, so two never ask at once. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.lookupId, t.platformId] }),
    index("lookup_results_retry_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

export type Consent = typeof consents.$inferSelect;
export type Lookup = typeof lookups.$inferSelect;
export type LookupResult = typeof lookupResults.$inferSelect;
export type LookupStatus = (typeof lookupStatus.enumValues)[number];

/** One owner request to unbind the number on several platforms at once. */
export const unbindBatches = pgTable(
  "unbind_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    tenureId: uuid("tenure_id")
      .notNull()
      .references(() => numberTenures.id),
    /** Sorted platform ids: the same selection while one is open is the same batch. */
    selection: text("selection").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** The owner's language when sending: the completion SMS is written in it. */
    locale: text("locale").notNull().default("zh-CN"),
    /** When the owner last proved the number before sending: the attestation's otp_verified_at. */
    verifiedAt: timestamp("verified_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** When the "your request is complete" SMS was queued (once). */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [
    index("unbind_batches_owner_idx").on(t.ownerId, t.createdAt),
    uniqueIndex("unbind_batches_open_selection_idx").on(t.ownerId, t.selection).where(sql`${t.completedAt} is null`),
  ],
);

export const unbindStatus = pgEnum("unbind_status", [
  "queued",
  "sent",
  "accepted",
  "unbound",
  "scheduled",
  "rejected",
  "needs_owner_action",
  "failed",
]);

/** One platform's part of a batch. Its id is the protocol's requestId and the webhook-id. */
export const unbindItems = pgTable(
  "unbind_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => unbindBatches.id, { onDelete: "cascade" }),
    platformId: uuid("platform_id")
      .notNull()
      .references(() => platforms.id),
    status: unbindStatus("status").notNull().default("queued"),
    /** scheduled: when the platform will unbind. */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    /** rejected / needs_owner_action / failed: a reason code, shown in words. */
    reason: text("reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("unbind_items_batch_platform_idx").on(t.batchId, t.platformId)],
);

/** The timeline of an item: every status it went through, with when. */
export const unbindEvents = pgTable(
  "unbind_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => unbindItems.id, { onDelete: "cascade" }),
    status: unbindStatus("status").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    reason: text("reason"),
  },
  (t) => [index("unbind_events_item_idx").on(t.itemId, t.at)],
);

export const outboxKind = pgEnum("outbox_kind", ["unbind_request", "owner_sms", "wrong_party_report"]);
export const outboxStatus = pgEnum("outbox_status", ["pending", "delivered", "dead"]);

/**
 * Transactional outbox: every message to a platform is a row written in the same transaction as
 * the user's action, and delivered at least once by a dispatcher (lib/unbind/dispatcher.ts).
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: outboxKind("kind").notNull(),
    /**
     * What the message is about, and its id towards the receiver: for an unbind request the item id
     * (requestId, webhook-id, the platform's idempotency key); for an owner SMS the batch id; for a
     * wrong-party report the report id (reportId, webhook-id).
     */
    messageId: uuid("message_id").notNull().unique(),
    /** The receiving platform; null for an SMS to the owner. */
    platformId: uuid("platform_id").references(() => platforms.id),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** A dispatcher holds the row until then while it sends. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  // Matches the claim's order, so a claim stops after `limit` rows however long the backlog.
  (t) => [index("outbox_due_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`)],
);

export const caseKind = pgEnum("case_kind", ["delivery_failed", "endpoint_gone", "no_answer", "report_review"]);
export const caseStatus = pgEnum("case_status", ["open", "closed"]);

/** Work for a carrier agent. The agent console issue builds the queue view on these. */
export const agentCases = pgTable(
  "agent_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: caseKind("kind").notNull(),
    status: caseStatus("status").notNull().default("open"),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    ownerId: uuid("owner_id").references(() => owners.id, { onDelete: "set null" }),
    platformId: uuid("platform_id").references(() => platforms.id),
    unbindItemId: uuid("unbind_item_id").references(() => unbindItems.id, { onDelete: "set null" }),
    reportId: uuid("report_id").references((): AnyPgColumn => reports.id, { onDelete: "cascade" }),
    /** The agent working the case; only they (and the owner) may read a report's text and files. */
    assignedTo: uuid("assigned_to").references(() => staffUsers.id),
    detail: text("detail"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("agent_cases_queue_idx").on(t.carrierId, t.status, t.createdAt),
    // A report is in an agent's queue at most once while open.
    uniqueIndex("agent_cases_open_report_idx").on(t.reportId).where(sql`${t.status} = 'open' and ${t.reportId} is not null`),
  ],
);

/** Callbacks already applied, by webhook-id: a redelivered callback is acknowledged and ignored. */
/** Idempotency of callbacks: a `webhook-id` is unique per platform only (each platform picks its own). */
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

export type UnbindBatch = typeof unbindBatches.$inferSelect;
export type UnbindItem = typeof unbindItems.$inferSelect;
export type UnbindStatus = (typeof unbindStatus.enumValues)[number];
export type OutboxRow = typeof outbox.$inferSelect;

export const reportChannel = pgEnum("report_channel", ["sms", "call", "other"]);
export const reportCategory = pgEnum("report_category", [
  "debt_collection",
  "loan_credit",
  "ride_delivery",
  "government_notice",
  "verification_code",
  "previous_owner",
  "marketing",
  "fraud",
  "other",
]);
/**
 * received → forwarded (to a participating platform) → acknowledged → resolved, or → agent_review
 * (no participating platform, delivery failed, or the platform disputed it) → resolved / closed.
 * The owner may close a report at any time.
 */
export const reportStatus = pgEnum("report_status", ["received", "forwarded", "acknowledged", "agent_review", "resolved", "closed"]);

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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("reports_owner_idx").on(t.ownerId, t.createdAt),
    index("reports_tenure_idx").on(t.tenureId, t.createdAt),
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
export type ReportStatus = (typeof reportStatus.enumValues)[number];
export type ReportCategoryValue = (typeof reportCategory.enumValues)[number];
