import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { NUMBER_EVENT_TYPES, type NumberEventType } from "@/db/enums";
import { parseMobile } from "@/lib/phone/parse";

/**
 * Reading a carrier-records CSV (docs/carrier-records.md): one row per event, columns `number`,
 * `carrier`, `event`, `date` and optionally `event_id`, in any order, named by a header row. Every
 * row is checked on its own here; what needs the whole file (duplicate ids, one number's events
 * against each other) is lib/records/validate.ts, and what needs the database is
 * lib/records/import.ts. A problem is reported by row (the file's line, the header being 1),
 * column and reason in words, never with the row's values: they are personal data.
 */

export type RecordColumn = "number" | "carrier" | "event" | "date" | "event_id";
export const REQUIRED_COLUMNS = ["number", "carrier", "event", "date"] as const satisfies readonly RecordColumn[];
const ALL_COLUMNS: readonly RecordColumn[] = [...REQUIRED_COLUMNS, "event_id"];

export interface RowProblem {
  /** The line of the file the row ends on; the header is row 1. 0: the file as a whole. */
  row: number;
  column: RecordColumn | null;
  reason: string;
}

/** One row that passed the row checks. */
export interface CarrierEvent {
  row: number;
  /** The carrier's id, or a hash of the other four columns (`sha256:` …) when it gave none. */
  eventId: string;
  /** E.164. */
  number: string;
  /** Lower-case, as in the carriers table. */
  carrier: string;
  type: NumberEventType;
  at: Date;
}

export interface ParseOptions {
  /** The carrier codes the service knows (the carriers table), lower-case. */
  carriers: readonly string[];
  now: Date;
}

const MAX_EVENT_ID = 200;

/**
 * The rows of a CSV stream, checked one by one. Reads the whole file (a carrier's daily file is well
 * within memory; the bench imports 100,000 rows), then returns the good rows and every problem.
 */
export async function readCarrierRecords(input: Readable, options: ParseOptions): Promise<{ events: CarrierEvent[]; problems: RowProblem[]; rows: number }> {
  // Without carriers every row would be refused for its carrier: say once what is wrong instead.
  if (options.carriers.length === 0) return { events: [], problems: [{ row: 0, column: null, reason: "no carriers are on record in this database (run npm run db:seed first); nothing was imported" }], rows: 0 };
  const events: CarrierEvent[] = [];
  const problems: RowProblem[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // A row with too few or too many cells is a problem of that row, not the end of the file.
      relax_column_count: true,
      info: true,
    }),
  );
  let header: Map<RecordColumn, number> | null = null;
  let rows = 0;
  // A carrier's file names each number several times; parsing one costs ~50 µs.
  const numbers = new Map<string, ReturnType<typeof parseMobile>>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        const read = readHeader(record);
        if ("problems" in read) return { events: [], problems: read.problems, rows: 0 };
        header = read.header;
        continue;
      }
      rows++;
      const checked = checkRow(record, header, info.lines, options, numbers);
      if ("problems" in checked) problems.push(...checked.problems);
      else events.push(checked.event);
    }
  } catch (error) {
    // An unclosed quote and the like: csv-parse cannot go on, so the file is refused as a whole.
    const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : 0;
    return { events: [], problems: [{ row: line, column: null, reason: `the file is not valid CSV here (${(error as { code?: string }).code ?? "parse error"}); nothing was imported` }], rows };
  }
  if (!header) return { events: [], problems: [{ row: 0, column: null, reason: "the file is empty: a header row (number,carrier,event,date,event_id) is needed" }], rows: 0 };
  return { events, problems, rows };
}

function readHeader(cells: string[]): { header: Map<RecordColumn, number> } | { problems: RowProblem[] } {
  const header = new Map<RecordColumn, number>();
  const problems: RowProblem[] = [];
  cells.forEach((cell, i) => {
    const name = cell.toLowerCase().replace(/[\s-]+/g, "_");
    const column = (name === "eventid" ? "event_id" : name) as RecordColumn;
    if (!ALL_COLUMNS.includes(column)) problems.push({ row: 1, column: null, reason: `unknown column "${cell.slice(0, 40)}" in the header (expected ${ALL_COLUMNS.join(", ")})` });
    else if (header.has(column)) problems.push({ row: 1, column, reason: "this column is named twice in the header" });
    else header.set(column, i);
  });
  for (const column of REQUIRED_COLUMNS) if (!header.has(column)) problems.push({ row: 1, column, reason: "the header has no such column, and it is required" });
  return problems.length ? { problems } : { header };
}

function checkRow(cells: string[], header: Map<RecordColumn, number>, row: number, options: ParseOptions, numbers: Map<string, ReturnType<typeof parseMobile>>): { event: CarrierEvent } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (column: RecordColumn | null, reason: string) => problems.push({ row, column, reason });
  if (cells.length !== header.size) problem(null, `the row has ${cells.length} cells, the header ${header.size}`);
  const cell = (column: RecordColumn) => {
    const i = header.get(column);
    return i === undefined ? "" : (cells[i] ?? "");
  };

  let number = "";
  const rawNumber = cell("number");
  if (!rawNumber) problem("number", "empty: a mobile number is required");
  else {
    let parsed = numbers.get(rawNumber);
    if (!parsed) numbers.set(rawNumber, (parsed = parseMobile(rawNumber, "CN", ["CN"])));
    if (parsed.ok) number = parsed.e164;
    else problem("number", parsed.error === "not_mobile" ? "not a mobile number" : parsed.error === "country_not_served" ? "not a mainland China number" : "not a valid mainland China mobile number");
  }

  const carrier = cell("carrier").toLowerCase();
  if (!carrier) problem("carrier", "empty: a carrier code is required");
  else if (!options.carriers.includes(carrier)) problem("carrier", `unknown carrier code (expected one of ${options.carriers.map((c) => c.toUpperCase()).join(", ")})`);

  const type = cell("event").toLowerCase() as NumberEventType;
  if (!type) problem("event", "empty: an event is required");
  else if (!NUMBER_EVENT_TYPES.includes(type)) problem("event", `unknown event (expected one of ${NUMBER_EVENT_TYPES.join(", ")})`);

  const date = readDate(cell("date"), options.now);
  if (typeof date === "string") problem("date", date);

  const given = cell("event_id");
  if (given.length > MAX_EVENT_ID) problem("event_id", `longer than ${MAX_EVENT_ID} characters`);
  else if (/[\u0000-\u001f]/.test(given)) problem("event_id", "contains control characters");
  else if (given.startsWith(HASH_PREFIX)) problem("event_id", `may not start with "${HASH_PREFIX}" (kept for rows without an event id)`);

  if (problems.length || typeof date === "string") return { problems };
  const eventId = given || derivedEventId(number, carrier, type, date);
  return { event: { row, eventId, number, carrier, type, at: date } };
}

const HASH_PREFIX = "sha256:";

/**
 * The id of an event the carrier gave no id for: the same row gives the same id, so importing the
 * file again finds it on record. The number is inside the hash, so the id does not reveal it.
 */
export function derivedEventId(number: string, carrier: string, type: NumberEventType, at: Date): string {
  return HASH_PREFIX + createHash("sha256").update(`${number}|${carrier}|${type}|${at.toISOString()}`).digest("hex").slice(0, 40);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOMENT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `YYYY-MM-DD` (midnight, China time: carriers' records are kept in it) or a full ISO timestamp
 * (China time when it names no offset). A date that does not exist or is in the future is refused.
 */
export function readDate(raw: string, now: Date): Date | string {
  if (!raw) return "empty: a date is required (YYYY-MM-DD or an ISO 8601 timestamp)";
  const day = DAY.exec(raw);
  const moment = day ? null : MOMENT.exec(raw);
  if (!day && !moment) return "not a date: use YYYY-MM-DD or an ISO 8601 timestamp such as 2025-03-01T09:30:00+08:00";
  const [, y, m, d, hh = "00", mm = "00", ss = "00", zone] = (day ?? moment)!;
  if (!realDay(+y!, +m!, +d!) || +hh > 23 || +mm > 59 || +ss > 59) return "no such date or time";
  const offset = !zone ? "+08:00" : zone.toUpperCase() === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const fraction = moment ? (/\.\d+/.exec(raw)?.[0] ?? "") : "";
  const at = new Date(`${y}-${m}-${d}T${hh}:${mm}:${ss}${fraction.slice(0, 4)}${offset}`);
  if (Number.isNaN(at.getTime())) return "no such date or time";
  if (at.getTime() > now.getTime()) return "in the future";
  if (at.getFullYear() < 1990) return "before 1990: carrier records start later";
  return at;
}

function realDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
