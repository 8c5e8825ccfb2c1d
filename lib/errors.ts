import { randomUUID } from "node:crypto";

/**
 * Every refusal code and the message key it is shown with, once. A code is `what:subject`, stable
 * across releases (tests and logs name them); actions show the message (beside `field` when the
 * error names one), route handlers answer `{ error: code }` with `status`. A refusal that carries
 * `retryAfterSeconds` is shown with `{when}` ("in 12 minutes"), worked out where it is shown.
 */
const APP_ERROR_MESSAGES = {
  // Forms in general
  "bad_request:form": "forms.badRequest",
  "invalid:field": "forms.invalidField",
  // The number typed at sign-in
  "invalid:number": "login.errors.invalidNumber",
  "not_mobile:number": "login.errors.notMobile",
  "not_served:country": "login.errors.countryNotServed",
  // Sending a one-time code (sign-in, a new code, re-verification before unbinding)
  "rate_limited:otp": "login.errors.rateLimited",
  "locked:otp_source": "login.errors.locked",
  "busy:number": "login.errors.numberBusy",
  "locked:number": "login.errors.numberLocked",
  "unavailable:sms": "login.errors.smsFailed",
  // Checking a code at sign-in
  "missing:challenge": "verify.errors.noChallenge",
  "invalid:code": "verify.errors.format",
  "wrong_code:otp": "verify.errors.wrong",
  "expired:otp": "verify.errors.expired",
  "too_many_attempts:otp": "verify.errors.tooMany",
  "locked:otp_verify": "verify.errors.locked",
  "stale:otp": "verify.errors.stale",
  // Checking a code before unbinding
  "wrong_code:reverify": "unbind.errors.wrongCode",
  "expired:reverify": "unbind.errors.expired",
  "too_many_attempts:reverify": "unbind.errors.tooMany",
  "locked:reverify": "unbind.errors.locked",
  "failed:reverify": "unbind.errors.failed",
  // Staff sign-in
  "invalid:staff_credentials": "staffLogin.errors.invalid",
  "rate_limited:staff_sign_in": "staffLogin.errors.throttled",
  "expired:staff_sign_in": "staffLogin.errors.expired",
  "same:staff_password": "staffLogin.errors.samePassword",
  // The second factor (TOTP or a recovery code) and enrolment
  "wrong_code:staff_totp": "staffTotp.errors.wrong",
  "reused_code:staff_totp": "staffTotp.errors.reused",
  "locked:staff_totp": "staffTotp.errors.locked",
  "wrong_code:staff_enrol": "staffEnrol.errors.wrong",
  // A declared tenure start
  "invalid:tenure_date": "me.declareErrors.date",
  "future:tenure_date": "me.declareErrors.future",
  "too_old:tenure_date": "me.declareErrors.tooOld",
  "exists:tenure": "me.declareErrors.exists",
  // Correcting a self-declared tenure start
  "unchanged:tenure_date": "me.declareErrors.unchanged",
  "not_on_record:tenure": "me.declareErrors.notOnRecord",
  "not_self_declared:tenure": "me.declareErrors.notSelfDeclared",
  // Unbind batches
  "reverify:unbind": "unbind.errors.reverify",
  "not_eligible:unbind": "unbind.errors.notEligible",
  "no_tenure:unbind": "unbind.errors.noTenure",
  // Wrong-party reports and their screenshots
  "no_tenure:report": "reports.errors.noTenure",
  "unknown_platform:report": "reports.errors.platform",
  "daily_limit:report": "reports.errors.dailyLimit",
  "not_repeatable:report": "reports.errors.repeatOf",
  "forbidden:report": "reports.errors.failed",
  "unavailable:report": "reports.errors.failed",
  "future:received_at": "reports.errors.receivedAtFuture",
  "too_old:received_at": "reports.errors.receivedAtOld",
  "too_many:evidence": "reports.errors.tooManyFiles",
  "too_large:evidence": "reports.errors.fileTooLarge",
  "empty:evidence": "reports.errors.fileEmpty",
  "unsupported_type:evidence": "reports.errors.fileType",
  "unreadable:evidence": "reports.errors.fileUnreadable",
  // The same, naming the file (`{name}`: the owner's own file name, echoed back, never stored)
  "too_large:evidence_file": "reports.errors.fileTooLargeNamed",
  "empty:evidence_file": "reports.errors.fileEmptyNamed",
  "unsupported_type:evidence_file": "reports.errors.fileTypeNamed",
  "unreadable:evidence_file": "reports.errors.fileUnreadableNamed",
  // The owner's messages to customer service (contact, answers on a case)
  "empty:case_message": "ownerCases.errors.empty",
  "rate_limited:case_message": "ownerCases.errors.rateLimited",
  "not_found:case": "ownerCases.errors.notFound",
  "settled:case": "ownerCases.errors.settled",
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_MESSAGES;

/** Every code, for tests that check each has its message in every language. */
export const APP_ERROR_CODES = Object.keys(APP_ERROR_MESSAGES) as AppErrorCode[];

/** The message key for a refusal code. */
export function appErrorMessage(code: AppErrorCode): (typeof APP_ERROR_MESSAGES)[AppErrorCode] {
  return APP_ERROR_MESSAGES[code];
}

/** An expected refusal with a stable code (see APP_ERROR_MESSAGES). */
export class AppError extends Error {
  readonly status: number;
  readonly details: Record<string, string | number>;
  readonly field?: string;

  constructor(readonly code: AppErrorCode, options: { status?: number; details?: Record<string, string | number>; field?: string } = {}) {
    super(code);
    this.name = "AppError";
    this.status = options.status ?? 400;
    this.details = options.details ?? {};
    this.field = options.field;
  }
}

/** SQLSTATEs (and driver error codes) that mean "the database is not there right now", not "the query was wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300|53400|3D000)/;
const UNAVAILABLE_DRIVER = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection|the database system is (starting up|shutting down)/i;

/**
 * A database error as it may be logged and thrown on: the SQLSTATE, the constraint or table name
 * (schema, not data) and nothing else. Drizzle's own error carries the query's parameters (owner
 * numbers, code HMACs, platforms' text) and Postgres' `detail` carries values ("Key (number)=(…)"),
 * so neither travels any further than `toDatabaseError`.
 */
export class DatabaseError extends Error {
  /** SQLSTATE (e.g. 23505), a driver code (ECONNRESET), or "unknown". */
  readonly code: string;
  readonly constraint?: string;
  readonly table?: string;
  /** The database could not be reached (or dropped the connection): answer 503 and try again later. */
  readonly unavailable: boolean;

  constructor(fields: { code: string; constraint?: string; table?: string; unavailable: boolean }) {
    super(`database error ${fields.code}${fields.constraint ? ` (${fields.constraint})` : ""}`);
    this.name = "DatabaseError";
    this.code = fields.code;
    this.constraint = fields.constraint;
    this.table = fields.table;
    this.unavailable = fields.unavailable;
  }
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function field(source: unknown, name: string): unknown {
  return source && typeof source === "object" ? (source as Record<string, unknown>)[name] : undefined;
}

/**
 * Drizzle's "Failed query … params: …" error, a driver error (pg, PGlite, Neon) or a connection
 * failure, as a DatabaseError. Only names and codes are copied: never a message that could hold data.
 */
export function toDatabaseError(error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  // Drizzle wraps the driver's error as `cause`; Neon and pg may wrap a socket error once more.
  let driver: unknown = error;
  for (let i = 0; i < 3 && field(driver, "cause") && !/^[0-9A-Z]{5}$/.test(String(field(driver, "code") ?? "")); i++) driver = field(driver, "cause");
  const rawCode = String(field(driver, "code") ?? "");
  const code = /^[0-9A-Z]{5}$/.test(rawCode) || /^E[A-Z_]{2,20}$/.test(rawCode) ? rawCode : "unknown";
  const constraint = String(field(driver, "constraint") ?? "");
  const table = String(field(driver, "table") ?? "");
  const message = String(field(driver, "message") ?? "");
  const unavailable = UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_DRIVER.has(code) || (code === "unknown" && UNAVAILABLE_MESSAGE.test(message));
  return new DatabaseError({
    code,
    constraint: SAFE_NAME.test(constraint) ? constraint : undefined,
    table: SAFE_NAME.test(table) ? table : undefined,
    unavailable,
  });
}

/** Whether `error` came from the database layer (already sanitised or not). */
export function isDatabaseError(error: unknown): boolean {
  if (error instanceof DatabaseError) return true;
  const name = field(error, "name");
  const message = String(field(error, "message") ?? "");
  return name === "DrizzleQueryError" || message.startsWith("Failed query:") || (name === "error" && typeof field(error, "severity") === "string");
}

/** A short id for one failed request, shown to the user and written to the log, so the two can be matched. */
export function newRequestId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * The one way server code logs an unexpected error: database errors by code and request id only,
 * other errors by name and message (our own messages never carry personal data). Returns the id.
 */
export function logServerError(scope: string, error: unknown, requestId = newRequestId()): string {
  if (isDatabaseError(error)) {
    const db = toDatabaseError(error);
    console.error(`[${scope}] ${db.name} code=${db.code}${db.constraint ? ` constraint=${db.constraint}` : ""} request=${requestId}`);
  } else {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "";
    console.error(`[${scope}] ${name}${message ? `: ${message}` : ""} request=${requestId}`);
  }
  return requestId;
}
