import { and, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import {
  agentCases,
  consents,
  erasedTallies,
  erasures,
  lookupResults,
  lookups,
  numberTenures,
  otpChallenges,
  outbox,
  owners,
  platformEvents,
  rateLimits,
  reportEvidence,
  reports,
  smsOutbox,
  unbindBatches,
  unbindItems,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { ownCases, ownerCaseScope } from "@/lib/cases/owner";
import { timeZone } from "@/lib/i18n/config";
import { deriveKey, pseudonym } from "@/lib/otp/code";
import type { EvidenceStore } from "@/lib/reports/evidence";

/**
 * "Delete my data" (PIPL art. 47), after the owner proved the number again by SMS code. In one
 * transaction, for the number's open tenure (what the owner sees as theirs; rows from an earlier
 * tenure under the same owner row are a previous holder's and stay under the retention policy):
 *
 * - reports (texts, senders, screenshots, timelines, their agent cases), unbind requests (items,
 *   timelines, their cases), the owner's other cases of this holding (help they asked for, the
 *   review of a declared date: lib/cases/owner.ts `ownCases`), look-ups and their answers,
 *   consents: deleted; reports and unbind
 *   items are first counted into `erased_tallies` (month, carrier, platform, category, final
 *   status) so the regulator's aggregates do not change — counts, never a text or a number;
 * - a self-declared tenure (the owner's own statement) is deleted; a carrier's record is the
 *   carrier's, and stays, because it protects the number's next holder;
 * - the number's code challenges, the development SMS outbox's copies and the known-device marks
 *   (the link between the number and a browser) are deleted;
 * - the owner row is deleted, which ends every session at its next request
 *   (lib/auth/sessions.ts); a later sign-in starts a new owner. If a previous holder's rows still
 *   hang on it, it is kept but emptied of sign-in times, and its session version bumped instead;
 * - every platform that received the number (a look-up it was asked, an unbind request or a
 *   report sent to it) gets one signed `owner.erased` event through the outbox, under a
 *   webhook-id of its own per erasure; the event keeps the number only until it is delivered.
 *
 * What is left is an `erasures` row (when, and how many of each went: the owner's receipt), the
 * tallies, and the audit log, which names ids only. Screenshot files are deleted after commit.
 * Running it again finds no owner and does nothing.
 */

export interface ErasureCounts {
  reports: number;
  reportFiles: number;
  unbindRequests: number;
  unbindItems: number;
  lookups: number;
  consents: number;
  cases: number;
  codes: number;
  /** 1 when a self-declared tenure date went with it. */
  declaredTenure: number;
  platformsNotified: number;
}

export type EraseResult = { ok: true; erasureId: string; counts: ErasureCounts } | { ok: false; error: "not_found" };

const month = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
/** YYYY-MM in Beijing time, as the regulator's months are counted. */
export const beijingMonth = (d: Date) => month.format(d).slice(0, 7);

export async function eraseOwner(
  db: Db,
  store: EvidenceStore,
  input: { ownerId: string; number: string; now: Date; secret?: string },
): Promise<EraseResult> {
  const result = await db.transaction(async (tx) => erase(tx, input));
  if (!result.ok) return result;
  // Files after commit: a rolled-back erasure must not lose them. A file that fails to go is
  // unreadable anyway (its key was bound to the deleted row) and is logged by count only.
  const failed = (await Promise.all(result.storageKeys.map((key) => store.delete(key).then(() => 0, () => 1)))).reduce<number>((a, b) => a + b, 0);
  if (failed > 0) console.error("[erasure] screenshot files not deleted:", failed);
  return { ok: true, erasureId: result.erasureId, counts: result.counts };
}

async function erase(tx: Tx, input: { ownerId: string; number: string; now: Date; secret?: string }) {
  const { now } = input;
  // Locked: two erasures at once queue here, and the second finds no owner.
  const [owner] = await tx
    .select({ id: owners.id, number: owners.number })
    .from(owners)
    .where(and(eq(owners.id, input.ownerId), eq(owners.number, input.number)))
    .for("update");
  if (!owner) return { ok: false as const, error: "not_found" as const };

  const [tenure] = await tx
    .select({ id: numberTenures.id, source: numberTenures.source, carrierId: numberTenures.carrierId })
    .from(numberTenures)
    .where(and(eq(numberTenures.number, owner.number), isNull(numberTenures.endedAt)));
  // Every tenure-bound row has these two columns; without an open tenure nothing is the owner's.
  const mine = (t: typeof consents | typeof lookups | typeof unbindBatches | typeof reports) =>
    tenure ? and(eq(t.ownerId, owner.id), eq(t.tenureId, tenure.id)) : sql`false`;

  const [consentRows, lookupRows, batchRows, reportRows] = await Promise.all([
    tx.select({ id: consents.id }).from(consents).where(mine(consents)),
    tx.select({ id: lookups.id }).from(lookups).where(mine(lookups)),
    tx.select({ id: unbindBatches.id, createdAt: unbindBatches.createdAt }).from(unbindBatches).where(mine(unbindBatches)),
    tx
      .select({ id: reports.id, createdAt: reports.createdAt, carrierId: reports.carrierId, platformId: reports.platformId, category: reports.category, status: reports.status })
      .from(reports)
      .where(mine(reports)),
  ]);
  const lookupIds = lookupRows.map((r) => r.id);
  const batchIds = batchRows.map((r) => r.id);
  const reportIds = reportRows.map((r) => r.id);
  const items = batchIds.length
    ? await tx.select({ id: unbindItems.id, batchId: unbindItems.batchId, platformId: unbindItems.platformId, status: unbindItems.status }).from(unbindItems).where(inArray(unbindItems.batchId, batchIds))
    : [];
  const itemIds = items.map((i) => i.id);
  const files = reportIds.length ? await tx.select({ storageKey: reportEvidence.storageKey }).from(reportEvidence).where(inArray(reportEvidence.reportId, reportIds)) : [];

  // Who has the number: platforms asked in a look-up, and platforms an unbind request or a report
  // was sent to (an outbox attempt was made). Nobody else is told: the notice itself carries it.
  const asked = lookupIds.length
    ? await tx
        .selectDistinct({ platformId: lookupResults.platformId })
        .from(lookupResults)
        .where(and(inArray(lookupResults.lookupId, lookupIds), sql`${lookupResults.attempts} > 0`))
    : [];
  const messageIds = [...itemIds, ...reportIds];
  const sent = messageIds.length
    ? await tx
        .selectDistinct({ platformId: outbox.platformId })
        .from(outbox)
        .where(and(inArray(outbox.messageId, messageIds), sql`${outbox.attempts} > 0`))
    : [];
  const notify = [...new Set([...asked, ...sent].map((r) => r.platformId).filter((id): id is string => id !== null))].sort();

  // The owner's own words to customer service go too; a previous holder's cases are not in the scope.
  const caseWhere = or(
    itemIds.length ? inArray(agentCases.unbindItemId, itemIds) : undefined,
    reportIds.length ? inArray(agentCases.reportId, reportIds) : undefined,
    ownCases(tx, await ownerCaseScope(tx, owner)),
  );
  const cases = await tx.delete(agentCases).where(caseWhere).returning({ id: agentCases.id });

  // Anything still waiting to go about these rows goes nowhere now (the completion SMS included).
  const waiting = [...messageIds, ...batchIds];
  if (waiting.length) {
    await tx
      .update(outbox)
      .set({ status: "dead", lastError: "owner_erased", lockedUntil: null })
      .where(and(inArray(outbox.messageId, waiting), eq(outbox.status, "pending")));
  }

  const codes = await tx.delete(otpChallenges).where(eq(otpChallenges.number, owner.number)).returning({ id: otpChallenges.id });
  await tx.delete(smsOutbox).where(eq(smsOutbox.to, owner.number));
  if (input.secret) {
    const who = pseudonym(deriveKey(input.secret, "limit-key"), owner.number);
    await tx.delete(rateLimits).where(like(rateLimits.key, `otp:known:${who}:%`));
  }

  const counts: ErasureCounts = {
    reports: reportRows.length,
    reportFiles: files.length,
    unbindRequests: batchRows.length,
    unbindItems: items.length,
    lookups: lookupRows.length,
    consents: consentRows.length,
    cases: cases.length,
    codes: codes.length,
    declaredTenure: tenure?.source === "self_declared" ? 1 : 0,
    platformsNotified: notify.length,
  };
  const [erasure] = await tx.insert(erasures).values({ erasedAt: now, removed: { ...counts } }).returning({ id: erasures.id });
  const erasureId = erasure!.id;

  const tallies = [...talliesOf(erasureId, reportRows, items, batchRows, tenure?.carrierId ?? null)];
  if (tallies.length) await tx.insert(erasedTallies).values(tallies);

  if (notify.length) {
    const events = await tx
      .insert(platformEvents)
      .values(notify.map((platformId) => ({ platformId, type: "owner.erased" as const, number: owner.number, at: now, erasureId, createdAt: now })))
      .onConflictDoNothing()
      .returning({ id: platformEvents.id, platformId: platformEvents.platformId });
    if (events.length) {
      await tx.insert(outbox).values(events.map((e) => ({ kind: "platform_event" as const, messageId: e.id, platformId: e.platformId, nextAttemptAt: now, createdAt: now })));
    }
  }

  // Children first: cascades would do it, but the owner row may have to stay (see below).
  if (reportIds.length) await tx.delete(reports).where(inArray(reports.id, reportIds));
  if (batchIds.length) await tx.delete(unbindBatches).where(inArray(unbindBatches.id, batchIds));
  if (lookupIds.length) await tx.delete(lookups).where(inArray(lookups.id, lookupIds));
  if (consentRows.length) await tx.delete(consents).where(inArray(consents.id, consentRows.map((c) => c.id)));
  if (tenure?.source === "self_declared") await tx.delete(numberTenures).where(eq(numberTenures.id, tenure.id));

  // A previous holder's rows under the same owner row are not ours to delete.
  const [left] = await tx
    .select({ n: sql<number>`(select count(*) from ${consents} where ${consents.ownerId} = ${owner.id})
      + (select count(*) from ${lookups} where ${lookups.ownerId} = ${owner.id})
      + (select count(*) from ${unbindBatches} where ${unbindBatches.ownerId} = ${owner.id})
      + (select count(*) from ${reports} where ${reports.ownerId} = ${owner.id})`.mapWith(Number) })
    .from(sql`(select 1) as one`);
  if ((left?.n ?? 0) === 0) {
    await tx.delete(owners).where(eq(owners.id, owner.id));
  } else {
    await tx
      .update(owners)
      .set({ lastSignInAt: null, lastVerifiedAt: null, sessionVersion: sql`${owners.sessionVersion} + 1` })
      .where(eq(owners.id, owner.id));
  }

  await recordAudit(tx, { actorType: "owner", actorId: owner.id, action: "owner.erased", subjectType: "erasure", subjectId: erasureId, metadata: { ...counts } });
  return { ok: true as const, erasureId, counts, storageKeys: files.map((f) => f.storageKey) };
}

type Tally = typeof erasedTallies.$inferInsert;

/** Reports and unbind items as counts per (month, carrier, platform, category, final status). */
function* talliesOf(
  erasureId: string,
  reportRows: { createdAt: Date; carrierId: string | null; platformId: string | null; category: string; status: string }[],
  items: { batchId: string; platformId: string; status: string }[],
  batches: { id: string; createdAt: Date }[],
  carrierId: string | null,
): Generator<Tally> {
  const groups = new Map<string, Tally>();
  const add = (t: Omit<Tally, "erasureId" | "n">) => {
    const key = JSON.stringify([t.subject, t.month, t.carrierId, t.platformId, t.category, t.status]);
    const seen = groups.get(key);
    if (seen) seen.n = (seen.n ?? 0) + 1;
    else groups.set(key, { ...t, erasureId, n: 1 });
  };
  for (const r of reportRows) add({ subject: "report", month: beijingMonth(r.createdAt), carrierId: r.carrierId ?? carrierId, platformId: r.platformId, category: r.category, status: r.status });
  const batchMonth = new Map(batches.map((b) => [b.id, beijingMonth(b.createdAt)]));
  for (const i of items) add({ subject: "unbind_item", month: batchMonth.get(i.batchId)!, carrierId, platformId: i.platformId, category: null, status: i.status });
  yield* groups.values();
}

/**
 * The receipt of an erasure by its reference: when, and how many of each went. It holds no owner
 * id and no number, so the page that shows it works signed out (the owner has just been signed
 * out) and says nothing about anyone to whoever holds the link.
 */
export async function erasureReceipt(db: Db, erasureId: string): Promise<{ id: string; erasedAt: Date; counts: ErasureCounts } | null> {
  const [row] = await db.select().from(erasures).where(eq(erasures.id, erasureId));
  if (!row) return null;
  const removed = row.removed as Partial<ErasureCounts>;
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(removed[k] ?? 0)])) as unknown as ErasureCounts;
  return { id: row.id, erasedAt: row.erasedAt, counts };
}

export const COUNT_KEYS = ["reports", "reportFiles", "unbindRequests", "unbindItems", "lookups", "consents", "cases", "codes", "declaredTenure", "platformsNotified"] as const satisfies readonly (keyof ErasureCounts)[];
