import type { Readable } from "node:stream";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import type { NumberEventSource } from "@/db/enums";
import { carriers, numberEvents, numberTenures, owners } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { openCase } from "@/lib/cases/cases";
import { readCarrierRecords, type CarrierEvent, type RowProblem } from "./csv";
import { planNumber, type NumberPlan, type NumberState, type TenureRow } from "./events";
import { checkFile } from "./validate";

/**
 * Importing carrier records: read and check the file (csv.ts, validate.ts), then write every good
 * row and its effect on tenures (events.ts) in ONE transaction. One, not idempotent chunks: a
 * number's events may be anywhere in the file and each changes what the next one means, so a
 * chunk committed alone could leave a tenure closed with its successor missing; and 100,000 rows
 * fit comfortably in one transaction on both engines (bench/records.ts). Imports queue on an
 * advisory lock, so two at once see each other's events. Re-importing a file changes nothing:
 * an event id on record is skipped (and refused when its contents differ).
 */

export interface ImportResult {
  /** Data rows in the file. */
  rows: number;
  /** Newly recorded events. */
  imported: number;
  /** Events already on record (a re-import). */
  alreadyOnRecord: number;
  problems: RowProblem[];
  tenures: { opened: number; closed: number; simChanged: number };
  /** `tenure_review` cases opened because the carrier's date contradicts an owner's. */
  reviews: number;
}

export interface ImportOptions {
  now: Date;
  source?: NumberEventSource;
  /** Called as the rows are written: done and total. */
  progress?: (done: number, total: number) => void;
}

/**
 * Rows per statement. Each statement takes its rows as ONE JSON parameter (json_to_recordset):
 * a VALUES list of thousands of parameters costs more to bind and plan than the rows cost to
 * write, on PGlite above all (bench/records.ts).
 */
const CHUNK = 5000;

/** A chunk as one JSON text parameter, and the same for a list of strings. */
const json = (rows: unknown) => sql`${JSON.stringify(rows)}::json`;
const textList = (items: string[]) => sql`(select json_array_elements_text(${json(items)}))`;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function importCarrierRecords(db: Db, input: Readable, options: ImportOptions): Promise<ImportResult> {
  const known = await db.select({ id: carriers.id, code: carriers.code }).from(carriers);
  const carrierIds = new Map(known.map((c) => [c.code.toLowerCase(), c.id]));
  
  const read = await readCarrierRecords(input, { carriers: [...carrierIds.keys()], now: options.now });
  
  const file = checkFile(read.events);
  const problems = [...read.problems, ...file.problems];
  const result: ImportResult = { rows: read.rows, imported: 0, alreadyOnRecord: 0, problems, tenures: { opened: 0, closed: 0, simChanged: 0 }, reviews: 0 };
  if (file.events.length === 0) return sortProblems(result);

  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('records_import', 0))`);
    const fresh = await skipKnown(tx, file.events, carrierIds, result);
    const byNumber = new Map<string, CarrierEvent[]>();
    // file.events is in date order per number; grouping keeps that order.
    for (const e of fresh) {
      const list = byNumber.get(e.number);
      if (list) list.push(e);
      else byNumber.set(e.number, [e]);
    }
    const states = await loadStates(tx, [...byNumber.keys()]);

    const plans: { number: string; plan: NumberPlan }[] = [];
    for (const [number, events] of byNumber) {
      const plan = planNumber(states.get(number) ?? { open: null, floor: null }, events, carrierIds);
      for (const r of plan.refused) problems.push({ row: r.event.row, column: "date", reason: r.reason });
      plans.push({ number, plan });
    }
    const accepted = plans.flatMap((p) => p.plan.accepted);
    const total = accepted.length;
    let done = 0;
    for (const chunk of chunks(accepted)) {
      await insertEvents(tx, chunk, carrierIds, options.now, options.source ?? "csv");
      done += chunk.length;
      options.progress?.(done, total);
    }
    
    // Existing open tenures first: closing them frees the number for its new open tenure.
    await updateTenures(tx, plans.flatMap((p) => (p.plan.update ? [p.plan.update] : [])));
    const inserts = plans.flatMap((p) => p.plan.inserts.map((row) => ({ ...row, number: p.number })));
    for (const chunk of chunks(inserts)) await insertTenures(tx, chunk);

    
    for (const { number, plan } of plans) {
      result.tenures.opened += plan.opened;
      result.tenures.closed += plan.closed;
      result.tenures.simChanged += plan.simChanged;
      if (plan.review) result.reviews += (await review(tx, number, plan.review, options.now)) ? 1 : 0;
    }
    result.imported = total;
    // A re-import that adds nothing leaves no trace either.
    if (total > 0)
      await recordAudit(tx, { actorType: "system", actorId: null, action: "records.imported", subjectType: "number_events", subjectId: null, metadata: { imported: total, alreadyOnRecord: result.alreadyOnRecord, problems: problems.length } });
  });
  return sortProblems(result);
}

function sortProblems(result: ImportResult): ImportResult {
  result.problems.sort((a, b) => a.row - b.row);
  return result;
}

/** Drops events already on record; one whose id is on record with other contents is a problem. */
async function skipKnown(tx: Tx, events: CarrierEvent[], carrierIds: ReadonlyMap<string, string>, result: ImportResult): Promise<CarrierEvent[]> {
  const onRecord = new Map<string, { number: string; carrierId: string; type: string; at: Date }>();
  for (const chunk of chunks(events, 5000)) {
    const rows = await tx
      .select({ eventId: numberEvents.eventId, number: numberEvents.number, carrierId: numberEvents.carrierId, type: numberEvents.type, at: numberEvents.at })
      .from(numberEvents)
      .where(sql`${numberEvents.eventId} in ${textList(chunk.map((e) => e.eventId))}`);
    for (const r of rows) onRecord.set(r.eventId, r);
  }
  return events.filter((e) => {
    const r = onRecord.get(e.eventId);
    if (!r) return true;
    if (r.number === e.number && r.carrierId === carrierIds.get(e.carrier) && r.type === e.type && r.at.getTime() === e.at.getTime()) result.alreadyOnRecord++;
    else result.problems.push({ row: e.row, column: "event_id", reason: "this event id is already on record with a different number, carrier, event or date" });
    return false;
  });
}

/** Each number's open tenure and the moment its next event must come after. */
async function loadStates(tx: Tx, numbers: string[]): Promise<Map<string, NumberState>> {
  const states = new Map<string, NumberState>();
  const state = (n: string) => states.get(n) ?? states.set(n, { open: null, floor: null }).get(n)!;
  const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
  for (const chunk of chunks(numbers, 5000)) {
    // One after the other: a transaction is one connection.
    const open = await tx
      .select({ number: numberTenures.number, id: numberTenures.id, startedAt: numberTenures.startedAt, source: numberTenures.source, carrierId: numberTenures.carrierId, simChangedAt: numberTenures.simChangedAt })
      .from(numberTenures)
      .where(and(sql`${numberTenures.number} in ${textList(chunk)}`, isNull(numberTenures.endedAt)));
    const tenureFloors = await tx
      .select({ number: numberTenures.number, at: sql<string>`max(greatest(${numberTenures.startedAt}, coalesce(${numberTenures.endedAt}, ${numberTenures.startedAt})))` })
      .from(numberTenures)
      .where(and(sql`${numberTenures.number} in ${textList(chunk)}`, ne(numberTenures.source, "self_declared")))
      .groupBy(numberTenures.number);
    const eventFloors = await tx
      .select({ number: numberEvents.number, at: sql<string>`max(${numberEvents.at})` })
      .from(numberEvents)
      .where(sql`${numberEvents.number} in ${textList(chunk)}`)
      .groupBy(numberEvents.number);
    for (const { number, ...tenure } of open) state(number).open = tenure;
    for (const r of [...tenureFloors, ...eventFloors]) state(r.number).floor = later(state(r.number).floor, new Date(r.at));
  }
  return states;
}

async function insertEvents(tx: Tx, chunk: CarrierEvent[], carrierIds: ReadonlyMap<string, string>, now: Date, source: NumberEventSource) {
  const rows = chunk.map((e) => ({ event_id: e.eventId, number: e.number, carrier_id: carrierIds.get(e.carrier)!, type: e.type, at: e.at.toISOString() }));
  await tx.execute(sql`
    insert into ${numberEvents} (event_id, number, carrier_id, type, at, imported_at, source)
    select event_id, number, carrier_id, type::number_event_type, at, ${now.toISOString()}::timestamptz, ${source}::number_event_source
    from json_to_recordset(${json(rows)}) as x(event_id text, number text, carrier_id uuid, type text, at timestamptz)`);
}

const tenureJson = (r: TenureRow & { id?: string; number?: string }) => ({
  id: r.id,
  number: r.number,
  carrier_id: r.carrierId,
  started_at: r.startedAt.toISOString(),
  ended_at: r.endedAt?.toISOString() ?? null,
  sim_changed_at: r.simChangedAt?.toISOString() ?? null,
  source: r.source,
});

async function insertTenures(tx: Tx, chunk: (TenureRow & { number: string })[]) {
  await tx.execute(sql`
    insert into ${numberTenures} (number, carrier_id, started_at, ended_at, sim_changed_at, source)
    select number, carrier_id, started_at, ended_at, sim_changed_at, source::tenure_source
    from json_to_recordset(${json(chunk.map(tenureJson))}) as x(number text, carrier_id uuid, started_at timestamptz, ended_at timestamptz, sim_changed_at timestamptz, source text)`);
}

/** The changed open tenures, one UPDATE … FROM per chunk. */
async function updateTenures(tx: Tx, rows: (TenureRow & { id: string })[]) {
  for (const chunk of chunks(rows)) {
    await tx.execute(sql`
      update ${numberTenures} set carrier_id = v.carrier_id, started_at = v.started_at, ended_at = v.ended_at, sim_changed_at = v.sim_changed_at, source = v.source::tenure_source
      from json_to_recordset(${json(chunk.map(tenureJson))}) as v(id uuid, carrier_id uuid, started_at timestamptz, ended_at timestamptz, sim_changed_at timestamptz, source text)
      where ${numberTenures.id} = v.id`);
  }
}

/** The owner's self-declared start contradicted: a case for the carrier's customer service, and the owner's date kept in the audit log. */
async function review(tx: Tx, number: string, r: NonNullable<NumberPlan["review"]>, now: Date): Promise<boolean> {
  const [owner] = await tx.select({ id: owners.id }).from(owners).where(eq(owners.number, number));
  await recordAudit(tx, {
    actorType: "system",
    actorId: null,
    action: "tenure.carrier_record",
    subjectType: "number_tenure",
    subjectId: r.tenureId,
    metadata: { declaredStartedAt: r.declared.toISOString(), recordedStartedAt: r.recorded.toISOString() },
  });
  const opened = await openCase(tx, { kind: "tenure_review", subject: { tenureId: r.tenureId }, ownerId: owner?.id ?? null, platformId: null, carrierId: r.carrierId, number, detail: "carrier_record_differs", at: now });
  return opened.opened;
}
