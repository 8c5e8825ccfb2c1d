/**
 * The values of every Postgres enum, each written once. `db/schema/` builds its `pgEnum`s from
 * these lists, and code that needs a list (a form's options, a zod enum, a map that must cover every
 * value) imports it from here. Pure data with no imports, so client components may use it too
 * (`@/db/schema` pulls in drizzle's pg-core and is for server code and types).
 */

export const TENURE_SOURCES = ["carrier_record", "self_declared", "agent_confirmed"] as const;
export type TenureSource = (typeof TENURE_SOURCES)[number];

/**
 * A carrier's record of what happened to a number (docs/carrier-records.md). `activated`,
 * `reissued` and `ported_in` start a subscriber's tenure; `cancelled` and `ported_out` end it.
 */
export const NUMBER_EVENT_TYPES = ["activated", "cancelled", "reissued", "sim_changed", "ported_in", "ported_out"] as const;
export type NumberEventType = (typeof NUMBER_EVENT_TYPES)[number];

/** How a carrier record came in: the CSV import command, or (later) the carrier API. */
export const NUMBER_EVENT_SOURCES = ["csv", "carrier_api"] as const;
export type NumberEventSource = (typeof NUMBER_EVENT_SOURCES)[number];

export const PLATFORM_CATEGORIES = [
  "messaging",
  "ride_hailing",
  "e_commerce",
  "payments",
  "lending",
  "food_delivery",
  "government",
  "social",
] as const;
export type PlatformCategory = (typeof PLATFORM_CATEGORIES)[number];

/** `category`: the platform is shown to owners by its category only ("a lending platform"). */
export const PLATFORM_DISCLOSURES = ["named", "category"] as const;

export const PLATFORM_STATUSES = ["active", "paused", "disabled"] as const;

/** `agent` and `supervisor` work the cases of one carrier; regulators and admins see across carriers. */
export const STAFF_ROLES = ["agent", "supervisor", "regulator", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ACTOR_TYPES = ["owner", "staff", "system", "platform"] as const;

export const OTP_PURPOSES = ["sign_in", "reverify"] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];

export const CONSENT_PURPOSES = ["platform_lookup"] as const;

export const LOOKUP_STATUSES = ["pending", "bound_before_tenure", "bound_since_tenure", "not_bound", "unavailable"] as const;
export type LookupStatus = (typeof LOOKUP_STATUSES)[number];

export const UNBIND_STATUSES = ["queued", "sent", "accepted", "unbound", "scheduled", "rejected", "needs_owner_action", "failed"] as const;
export type UnbindStatus = (typeof UNBIND_STATUSES)[number];

/** `case_reply_sms`: "customer service replied" to the owner, keyed by the reply's case_events id. */
export const OUTBOX_KINDS = ["unbind_request", "owner_sms", "wrong_party_report", "platform_event", "case_reply_sms"] as const;

/**
 * `POST {platform}/events` types (partner protocol v1). Only `owner.erased` is sent so far; the
 * lifecycle events `number.cancelled` and `number.reissued` join this list when they are built.
 */
export const PLATFORM_EVENT_TYPES = ["owner.erased"] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

/** What an erasure keeps as counts for the regulator's statistics (lib/owners/erasure.ts). */
export const TALLY_SUBJECTS = ["report", "unbind_item"] as const;

export const OUTBOX_STATUSES = ["pending", "delivered", "dead"] as const;

/**
 * The first four are opened by the service itself (lib/unbind, lib/outbox, lib/reports);
 * `owner_help` by an owner's message, `tenure_review` by a self-declared tenure start, `manual` by staff.
 */
export const CASE_KINDS = ["delivery_failed", "endpoint_gone", "no_answer", "report_review", "owner_help", "tenure_review", "manual"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/**
 * open → in_progress → waiting_platform / waiting_owner → resolved or closed; resolved and closed
 * reopen to in_progress. The legal moves are CASE_TRANSITIONS in lib/cases/status.ts.
 */
export const CASE_STATUSES = ["open", "in_progress", "waiting_platform", "waiting_owner", "resolved", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * One row of a case's timeline (`case_events`); `note` is internal, `reply` and `owner_reply` the owner sees.
 * `tenure_confirmed`: an agent confirmed (or corrected) the tenure start; its text is the date (ISO).
 */
export const CASE_EVENT_KINDS = ["opened", "status", "assigned", "routed", "note", "reply", "owner_reply", "first_response", "tenure_confirmed"] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

export const REPORT_CHANNELS = ["sms", "call", "other"] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

export const REPORT_CATEGORIES = [
  "debt_collection",
  "loan_credit",
  "ride_delivery",
  "government_notice",
  "verification_code",
  "previous_owner",
  "marketing",
  "fraud",
  "other",
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/**
 * received → forwarded (to a participating platform) → acknowledged → resolved, or → agent_review
 * (no participating platform, delivery failed, or the platform disputed it) → resolved / closed.
 * The owner may close a report at any time.
 */
export const REPORT_STATUSES = ["received", "forwarded", "acknowledged", "agent_review", "resolved", "closed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
