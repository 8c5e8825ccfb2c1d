import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import type { Db } from "@/db";
import { agentCases, lookupResults, lookups, numberTenures, outbox, owners, platforms, reports, unbindBatches, unbindEvents, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { parseMobile } from "@/lib/phone/parse";
import { RESENT_BY_AGENT } from "@/lib/unbind/resend";

/**
 * The agent console's number search and number page (issue 14). Everything is scoped to the
 * staff member's carrier: an agent sees the tenures their carrier recorded for a number and only
 * what the owners did in those tenures; another carrier's tenure of the same number does not exist
 * for them. A staff member without a carrier (admin) sees every carrier's. The page is addressed by
 * a tenure id (a random uuid), never by the number, so the number is not in URLs or logs.
 */

/** `null`: no carrier scope (admin). */
export type CarrierScope = string | null;

export type NumberSearch =
  | { ok: true; e164: string; tenureId: string }
  | { ok: false; error: "invalid_number" | "not_mobile" | "country_not_served" | "not_found" };

/**
 * Reads the query as people type a number (national or E.164) and finds the newest tenure of it
 * that the scope's carrier recorded. A number only another carrier holds is "not found", the same
 * answer as one nobody holds: whether it exists elsewhere is not the agent's to know.
 */
export async function searchNumber(db: Db, query: string, scope: CarrierScope, served: readonly CountryCode[]): Promise<NumberSearch> {
  const parsed = parseMobile(query, "CN", served);
  if (!parsed.ok) return parsed;
  const [row] = await db
    .select({ id: numberTenures.id })
    .from(numberTenures)
    .where(and(eq(numberTenures.number, parsed.e164), scope ? eq(numberTenures.carrierId, scope) : undefined))
    .orderBy(desc(numberTenures.startedAt), desc(numberTenures.id))
    .limit(1);
  return row ? { ok: true, e164: parsed.e164, tenureId: row.id } : { ok: false, error: "not_found" };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The number a tenure id names, when the scope may see it; null otherwise (a foreign or unknown id alike). */
export async function numberOfTenure(db: Db, tenureId: string, scope: CarrierScope): Promise<{ number: string; carrierId: string | null } | null> {
  if (!UUID.test(tenureId)) return null;
  const [row] = await db
    .select({ number: numberTenures.number, carrierId: numberTenures.carrierId })
    .from(numberTenures)
    .where(and(eq(numberTenures.id, tenureId), scope ? eq(numberTenures.carrierId, scope) : undefined));
  return row ?? null;
}

const platformColumns = { id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn, category: platforms.category, disclosure: platforms.disclosure };

export type NumberView = NonNullable<Awaited<ReturnType<typeof numberView>>>;

/**
 * What the number page shows, for a tenure id the scope may see: the number (the page masks it),
 * the scope's tenures of it, and the look-ups, unbind batches, reports (category and status only,
 * never their text) and cases of those tenures. Null for an id the scope may not see.
 */
export async function numberView(db: Db, tenureId: string, scope: CarrierScope) {
  const subject = await numberOfTenure(db, tenureId, scope);
  if (!subject) return null;
  const tenures = await db
    .select({ id: numberTenures.id, startedAt: numberTenures.startedAt, endedAt: numberTenures.endedAt, source: numberTenures.source, carrierId: numberTenures.carrierId })
    .from(numberTenures)
    .where(and(eq(numberTenures.number, subject.number), scope ? eq(numberTenures.carrierId, scope) : undefined))
    .orderBy(desc(numberTenures.startedAt));
  const tenureIds = tenures.map((t) => t.id);

  const [lookupRows, batchRows, reportRows, caseRows] = await Promise.all([
    db
      .select({ id: lookups.id, tenureId: lookups.tenureId, startedAt: lookups.startedAt, completedAt: lookups.completedAt })
      .from(lookups)
      .where(inArray(lookups.tenureId, tenureIds))
      .orderBy(desc(lookups.startedAt))
      .limit(50),
    db
      .select({ id: unbindBatches.id, tenureId: unbindBatches.tenureId, createdAt: unbindBatches.createdAt, completedAt: unbindBatches.completedAt })
      .from(unbindBatches)
      .where(inArray(unbindBatches.tenureId, tenureIds))
      .orderBy(desc(unbindBatches.createdAt))
      .limit(50),
    db
      .select({ id: reports.id, category: reports.category, channel: reports.channel, status: reports.status, createdAt: reports.createdAt, updatedAt: reports.updatedAt, closedAt: reports.closedAt })
      .from(reports)
      .where(inArray(reports.tenureId, tenureIds))
      .orderBy(desc(reports.createdAt))
      .limit(100),
    // The cases about this number: its owner row's (the row follows the number), of the scope's carrier.
    db
      .select({ id: agentCases.id, kind: agentCases.kind, status: agentCases.status, createdAt: agentCases.createdAt })
      .from(agentCases)
      .innerJoin(owners, eq(owners.id, agentCases.ownerId))
      .where(and(eq(owners.number, subject.number), scope ? eq(agentCases.carrierId, scope) : undefined))
      .orderBy(desc(agentCases.createdAt))
      .limit(100),
  ]);

  const answers = lookupRows.length
    ? await db
        .select({ lookupId: lookupResults.lookupId, status: lookupResults.status, answeredAt: lookupResults.answeredAt, platform: platformColumns })
        .from(lookupResults)
        .innerJoin(platforms, eq(platforms.id, lookupResults.platformId))
        .where(inArray(lookupResults.lookupId, lookupRows.map((l) => l.id)))
        .orderBy(asc(platforms.createdAt), asc(platforms.id))
    : [];
  // Attempts are the outbox's, every round: the item id is the message id of its delivery and of any re-send.
  const items = batchRows.length
    ? await db
        .select({
          batchId: unbindItems.batchId,
          id: unbindItems.id,
          status: unbindItems.status,
          reason: unbindItems.reason,
          updatedAt: unbindItems.updatedAt,
          attempts: sql<number>`coalesce((select sum(${outbox.earlierAttempts} + ${outbox.attempts}) from ${outbox} where ${outbox.messageId} = ${unbindItems.id}), 0)::int`,
          // When customer service last sent it again (lib/unbind/resend.ts), if ever.
          resentAt: sql<Date | null>`(select max(${unbindEvents.at}) from ${unbindEvents} where ${unbindEvents.itemId} = ${unbindItems.id} and ${unbindEvents.reason} = ${RESENT_BY_AGENT})`.mapWith((v: string | Date | null) => (v === null ? null : new Date(v))),
          platform: platformColumns,
        })
        .from(unbindItems)
        .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
        .where(inArray(unbindItems.batchId, batchRows.map((b) => b.id)))
        .orderBy(asc(platforms.createdAt), asc(platforms.id))
    : [];

  return {
    tenureId,
    number: subject.number,
    tenures,
    lookups: lookupRows.map((l) => ({ ...l, answers: answers.filter((a) => a.lookupId === l.id).map(({ lookupId: _, ...a }) => a) })),
    batches: batchRows.map((b) => ({ ...b, items: items.filter((i) => i.batchId === b.id).map(({ batchId: _, ...i }) => i) })),
    reports: reportRows,
    cases: caseRows,
  };
}

/** Who reads: the staff member's id and carrier scope. */
export interface Reader {
  staffId: string;
  scope: CarrierScope;
}

/** The number page's data, with the read audited (`number.viewed`, by tenure id); null (and nothing written) when not the reader's. */
export async function openNumberView(db: Db, tenureId: string, reader: Reader) {
  const view = await numberView(db, tenureId, reader.scope);
  if (view) await recordAudit(db, { actorType: "staff", actorId: reader.staffId, action: "number.viewed", subjectType: "number_tenure", subjectId: view.tenureId });
  return view;
}

/** The full number of a tenure the reader may see, with the reveal audited (`number.revealed`); null (and nothing written) otherwise. */
export async function revealTenureNumber(db: Db, tenureId: string, reader: Reader): Promise<string | null> {
  const subject = await numberOfTenure(db, tenureId, reader.scope);
  if (!subject) return null;
  await recordAudit(db, { actorType: "staff", actorId: reader.staffId, action: "number.revealed", subjectType: "number_tenure", subjectId: tenureId });
  return subject.number;
}
