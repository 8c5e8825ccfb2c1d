import { and, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { numberTenures } from "@/db/schema";
import { parseMobile } from "@/lib/phone/parse";
import { camaraError, type CamaraErrorInfo } from "./errors";

/**
 * The NumberRecycling answer (CAMARA r2.2, number-recycling v0.2.0): has the subscriber of the
 * number changed after `specifiedDate`, per carrier records — tenures from the carrier or confirmed
 * by an agent; an owner's own declaration is not a carrier record.
 *
 * The number is not recycled only when one open tenure already held it on that day (the day it
 * started counts, as CAMARA's note on scenario 1 says). A day inside a tenure that has ended, or
 * inside a gap with no subscriber, is "changed" (scenario 2's note: the gap between a cancellation
 * and the next contract reads true). Days are calendar days in China's time (UTC+8, no daylight
 * saving since 1991), the carriers' own.
 */
export const PHONE_NUMBER = /^\+[1-9][0-9]{4,14}$/;
const CARRIER_SOURCES = ["carrier_record", "agent_confirmed"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** 00:00 of the calendar day `date` (YYYY-MM-DD) in China. */
export const dayStart = (date: string) => new Date(`${date}T00:00:00+08:00`);

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export interface CheckSubject {
  /** The number a three-legged token names; null for client-credentials tokens (they name no device). */
  phoneNumber: string | null;
}

export type ParsedCheck = { ok: true; phoneNumber: string; specifiedDate: string } | { ok: false; error: CamaraErrorInfo };

const invalid = (message: string): ParsedCheck => ({ ok: false, error: camaraError(400, "INVALID_ARGUMENT", message) });

/** One request (or batch entry) read against the CreateCheckNumRecycling schema and the token's subject. */
export function parseCheck(value: unknown, subject: CheckSubject, now: Date): ParsedCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return invalid("The request body must be a JSON object.");
  const { phoneNumber, specifiedDate } = value as Record<string, unknown>;
  if (specifiedDate === undefined) return invalid("specifiedDate is required.");
  if (typeof specifiedDate !== "string" || !isCalendarDate(specifiedDate)) return invalid("specifiedDate must be an RFC 3339 calendar date (YYYY-MM-DD).");
  if (phoneNumber !== undefined && (typeof phoneNumber !== "string" || !PHONE_NUMBER.test(phoneNumber))) {
    return invalid("phoneNumber must be in E.164 format with a leading + (^\\+[1-9][0-9]{4,14}$).");
  }
  if (phoneNumber !== undefined && subject.phoneNumber) {
    return { ok: false, error: camaraError(422, "UNNECESSARY_IDENTIFIER", "The phone number is already identified by the access token.") };
  }
  const number = (phoneNumber as string | undefined) ?? subject.phoneNumber;
  if (!number) return { ok: false, error: camaraError(422, "MISSING_IDENTIFIER", "The phone number cannot be identified: send phoneNumber.") };
  if (dayStart(specifiedDate).getTime() > now.getTime()) return { ok: false, error: camaraError(400, "OUT_OF_RANGE", "specifiedDate must not be in the future.") };
  // Carrier records are held for mainland China's mobile numbers only.
  if (!parseMobile(number, "CN", ["CN"]).ok) {
    return { ok: false, error: camaraError(422, "SERVICE_NOT_APPLICABLE", "The service is not available for the provided phone number.") };
  }
  return { ok: true, phoneNumber: number, specifiedDate };
}

export type CheckAnswer = { phoneNumberRecycled: boolean } | { error: CamaraErrorInfo };

interface NumberRecords {
  first: Date;
  openStart: Date | null;
}

/** Per number: when its carrier records begin and when its open tenure started — one indexed query for any count. */
async function recordsFor(db: DbOrTx, numbers: string[]): Promise<Map<string, NumberRecords>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .select({
      number: numberTenures.number,
      first: sql<Date>`min(${numberTenures.startedAt})`.mapWith(numberTenures.startedAt),
      openStart: sql<Date | null>`max(${numberTenures.startedAt}) filter (where ${numberTenures.endedAt} is null)`.mapWith(numberTenures.startedAt),
    })
    .from(numberTenures)
    .where(and(inArray(numberTenures.number, numbers), inArray(numberTenures.source, [...CARRIER_SOURCES])))
    .groupBy(numberTenures.number);
  return new Map(rows.map((r) => [r.number, { first: r.first, openStart: r.openStart }]));
}

function answer(records: NumberRecords | undefined, specifiedDate: string): CheckAnswer {
  if (!records) return { error: camaraError(404, "IDENTIFIER_NOT_FOUND", "No carrier records for the phone number.") };
  const nextDay = dayStart(specifiedDate).getTime() + DAY_MS;
  if (records.first.getTime() >= nextDay) {
    return { error: camaraError(400, "OUT_OF_RANGE", "specifiedDate is before the carrier records for this phone number begin.") };
  }
  return { phoneNumberRecycled: !(records.openStart && records.openStart.getTime() < nextDay) };
}

/** Answers for already parsed checks, in their order. */
export async function answerChecks(db: DbOrTx, checks: { phoneNumber: string; specifiedDate: string }[]): Promise<CheckAnswer[]> {
  const records = await recordsFor(db, [...new Set(checks.map((c) => c.phoneNumber))]);
  return checks.map((c) => answer(records.get(c.phoneNumber), c.specifiedDate));
}

export const MAX_BATCH_ENTRIES = 1000;

/** The batch extension: every entry parsed and answered on its own; "no data" (404) stays distinct from "not recycled". */
export async function answerBatch(db: DbOrTx, entries: unknown[], now: Date): Promise<CheckAnswer[]> {
  const parsed = entries.map((entry) => parseCheck(entry, { phoneNumber: null }, now));
  const valid = parsed.flatMap((p) => (p.ok ? [p] : []));
  const answers = await answerChecks(db, valid);
  let next = 0;
  return parsed.map((p) => (p.ok ? answers[next++]! : { error: p.error }));
}
