import { randomUUID } from "node:crypto";

/**
 * Every refusal code and the message key it is shown with, once: actions show the message (beside
 * `field` when one is named), route handlers answer `{ error: code }` with `status`.
 */
const APP_ERROR_MESSAGES = {
  "bad_request:form": "forms.badRequest",
  "invalid:field": "forms.invalidField",
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_MESSAGES;

/** The message key for a refusal code. */
export function appErrorMessage(code: AppErrorCode): string {
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
