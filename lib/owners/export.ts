import "server-only";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import {
  agentCases,
  carriers,
  consents,
  lookupResults,
  lookups,
  numberTenures,
  owners,
  platforms,
  reportEvents,
  reportEvidence,
  reports,
  unbindBatches,
  unbindEvents,
  unbindItems,
  type Platform,
} from "@/db/schema";
import { ownCases, ownerCaseScope, ownerCaseTexts } from "@/lib/cases/owner";
import { openField } from "@/lib/reports/sealed";

/**
 * "My data" (PIPL arts. 44–45): everything the service holds about the signed-in owner, as one
 * plain object — the readable page and the JSON download are both made from it.
 *
 * Only the owner's own: the owner row follows the number, so rows under it from an earlier tenure
 * are a previous holder's (前机主) and are left out; everything tenure-bound is read for the
 * number's open tenure only, as every owner page does. Report texts, senders and company names are
 * decrypted (they are the owner's own words). Screenshots are listed with a link to the evidence
 * route instead of being embedded: up to three 5 MB images per report would make the file huge,
 * and the route already serves each one decrypted, metadata-stripped and to this owner only.
 */

export const EXPORT_FORMAT = "reclaim-owner-data/1";

/** How a platform is named where its relation to the number shows (lib/platforms/labels.ts). */
export type PlatformLabeller = (p: Pick<Platform, "id" | "nameZh" | "nameEn" | "category" | "disclosure">) => string;

type Iso = string;
const iso = (d: Date | null | undefined): Iso | null => (d ? d.toISOString() : null);

export interface OwnerExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: Iso;
  owner: { number: string; firstSignInAt: Iso; termsVersion: string; termsAcceptedAt: Iso };
  sessions: {
    lastSignInAt: Iso | null;
    lastVerifiedAt: Iso | null;
    /** How often "sign out everywhere" ended every session so far. */
    signedOutEverywhere: number;
  };
  tenure: { startedAt: Iso; source: string; carrier: string | null; simChangedAt: Iso | null } | null;
  consents: { purpose: string; textVersion: string; platforms: string[]; givenAt: Iso; withdrawnAt: Iso | null }[];
  lookups: { id: string; startedAt: Iso; completedAt: Iso | null; tenureStart: Iso; results: { platform: string; status: string; answeredAt: Iso | null }[] }[];
  unbindRequests: {
    id: string;
    createdAt: Iso;
    completedAt: Iso | null;
    items: { id: string; platform: string; status: string; effectiveAt: Iso | null; reason: string | null; updatedAt: Iso; events: { status: string; at: Iso; reason: string | null }[] }[];
  }[];
  reports: {
    id: string;
    createdAt: Iso;
    receivedAt: Iso;
    channel: string;
    category: string;
    suggestedCategory: string;
    platform: string | null;
    company: string | null;
    sender: string | null;
    text: string;
    status: string;
    reason: string | null;
    note: string | null;
    duplicates: number;
    closedAt: Iso | null;
    events: { status: string; at: Iso; reason: string | null; note: string | null }[];
    files: { id: string; mime: string; bytes: number; createdAt: Iso; href: string }[];
  }[];
  cases: {
    id: string;
    kind: string;
    status: string;
    createdAt: Iso;
    reportId: string | null;
    unbindItemId: string | null;
    platform: string | null;
    /** Why the case was opened, as a code (delivery_failed, http_503, …). */
    reason: string | null;
    /** Customer service's replies, in order (the agent's words, without their staff id). */
    replies: { at: Iso; text: string }[];
    /** What the owner wrote on the case (a help message, their answers), in order. */
    yourMessages: { at: Iso; text: string }[];
  }[];
}

/** The evidence route's path for one screenshot (app/api/reports/[id]/evidence/[evidenceId]). */
export const evidenceHref = (reportId: string, evidenceId: string) => `/api/reports/${reportId}/evidence/${evidenceId}`;

/** Null when the owner row is gone (erased, or a forged session). */
export async function ownerExport(db: Db, input: { ownerId: string; number: string; now: Date; label: PlatformLabeller; names: Map<string, string> }): Promise<OwnerExport | null> {
  const [owner] = await db.select().from(owners).where(and(eq(owners.id, input.ownerId), eq(owners.number, input.number)));
  if (!owner) return null;
  const [tenure] = await db
    .select({ id: numberTenures.id, startedAt: numberTenures.startedAt, source: numberTenures.source, simChangedAt: numberTenures.simChangedAt, carrier: carriers.code, carrierZh: carriers.nameZh, carrierEn: carriers.nameEn })
    .from(numberTenures)
    .leftJoin(carriers, eq(carriers.id, numberTenures.carrierId))
    .where(and(eq(numberTenures.number, owner.number), isNull(numberTenures.endedAt)));

  const base: OwnerExport = {
    format: EXPORT_FORMAT,
    exportedAt: input.now.toISOString(),
    owner: { number: owner.number, firstSignInAt: owner.createdAt.toISOString(), termsVersion: owner.termsVersion, termsAcceptedAt: owner.termsAcceptedAt.toISOString() },
    sessions: { lastSignInAt: iso(owner.lastSignInAt), lastVerifiedAt: iso(owner.lastVerifiedAt), signedOutEverywhere: owner.sessionVersion },
    tenure: null,
    consents: [],
    lookups: [],
    unbindRequests: [],
    reports: [],
    cases: [],
  };
  // Help the owner asked for needs no tenure on record.
  if (!tenure) return { ...base, cases: await exportCases(db, owner, (id) => id) };
  const scope = { ownerId: owner.id, tenureId: tenure.id };

  const allPlatforms = await db
    .select({ id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn, category: platforms.category, disclosure: platforms.disclosure })
    .from(platforms);
  const byId = new Map(allPlatforms.map((p) => [p.id, p]));
  const labelOf = (id: string) => {
    const p = byId.get(id);
    return p ? input.label(p) : id;
  };

  const [consentRows, lookupRows, batchRows, reportRows] = await Promise.all([
    db.select().from(consents).where(and(eq(consents.ownerId, scope.ownerId), eq(consents.tenureId, scope.tenureId))).orderBy(asc(consents.givenAt)),
    db.select().from(lookups).where(and(eq(lookups.ownerId, scope.ownerId), eq(lookups.tenureId, scope.tenureId))).orderBy(desc(lookups.startedAt)),
    db.select().from(unbindBatches).where(and(eq(unbindBatches.ownerId, scope.ownerId), eq(unbindBatches.tenureId, scope.tenureId))).orderBy(desc(unbindBatches.createdAt)),
    db.select().from(reports).where(and(eq(reports.ownerId, scope.ownerId), eq(reports.tenureId, scope.tenureId))).orderBy(desc(reports.createdAt)),
  ]);
  const lookupIds = lookupRows.map((l) => l.id);
  const batchIds = batchRows.map((b) => b.id);
  const reportIds = reportRows.map((r) => r.id);
  const [results, items, rEvents, files] = await Promise.all([
    lookupIds.length ? db.select().from(lookupResults).where(inArray(lookupResults.lookupId, lookupIds)) : [],
    batchIds.length ? db.select().from(unbindItems).where(inArray(unbindItems.batchId, batchIds)) : [],
    reportIds.length ? db.select().from(reportEvents).where(inArray(reportEvents.reportId, reportIds)).orderBy(asc(reportEvents.at), asc(reportEvents.id)) : [],
    reportIds.length ? db.select().from(reportEvidence).where(inArray(reportEvidence.reportId, reportIds)).orderBy(asc(reportEvidence.createdAt)) : [],
  ]);
  const itemIds = items.map((i) => i.id);
  const uEvents = itemIds.length ? await db.select().from(unbindEvents).where(inArray(unbindEvents.itemId, itemIds)).orderBy(asc(unbindEvents.at), asc(unbindEvents.id)) : [];

  return {
    ...base,
    tenure: {
      startedAt: tenure.startedAt.toISOString(),
      source: tenure.source,
      carrier: tenure.carrier,
      simChangedAt: iso(tenure.simChangedAt),
    },
    consents: consentRows.map((c) => ({ purpose: c.purpose, textVersion: c.textVersion, platforms: c.platformIds.map(labelOf), givenAt: c.givenAt.toISOString(), withdrawnAt: iso(c.withdrawnAt) })),
    lookups: lookupRows.map((l) => ({
      id: l.id,
      startedAt: l.startedAt.toISOString(),
      completedAt: iso(l.completedAt),
      tenureStart: l.tenureStart.toISOString(),
      results: results.filter((r) => r.lookupId === l.id).map((r) => ({ platform: labelOf(r.platformId), status: r.status, answeredAt: iso(r.answeredAt) })),
    })),
    unbindRequests: batchRows.map((b) => ({
      id: b.id,
      createdAt: b.createdAt.toISOString(),
      completedAt: iso(b.completedAt),
      items: items
        .filter((i) => i.batchId === b.id)
        .map((i) => ({
          id: i.id,
          platform: labelOf(i.platformId),
          status: i.status,
          effectiveAt: iso(i.effectiveAt),
          reason: i.reason,
          updatedAt: i.updatedAt.toISOString(),
          events: uEvents.filter((e) => e.itemId === i.id).map((e) => ({ status: e.status, at: e.at.toISOString(), reason: e.reason })),
        })),
    })),
    reports: reportRows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      receivedAt: r.receivedAt.toISOString(),
      channel: r.channel,
      category: r.category,
      suggestedCategory: r.suggestedCategory,
      // The owner named this platform themselves: its name, as on their report pages.
      platform: r.platformId ? (input.names.get(r.platformId) ?? labelOf(r.platformId)) : null,
      company: openField(r.id, "company", r.companyEnc),
      sender: openField(r.id, "sender", r.senderEnc),
      text: openField(r.id, "text", r.textEnc),
      status: r.status,
      reason: r.reason,
      note: r.note,
      duplicates: r.duplicates,
      closedAt: iso(r.closedAt),
      events: rEvents.filter((e) => e.reportId === r.id).map((e) => ({ status: e.status, at: e.at.toISOString(), reason: e.reason, note: e.note })),
      files: files.filter((f) => f.reportId === r.id).map((f) => ({ id: f.id, mime: f.mime, bytes: f.bytes, createdAt: f.createdAt.toISOString(), href: evidenceHref(r.id, f.id) })),
    })),
    cases: await exportCases(db, owner, labelOf),
  };
}

/**
 * The owner's cases of their current holding (lib/cases/owner.ts `ownCases`: an earlier holder's
 * are left out), each with customer service's replies and what the owner wrote; internal notes
 * never. Older replies were lines of `detail`.
 */
async function exportCases(db: Db, owner: { id: string; number: string }, labelOf: (id: string) => string): Promise<OwnerExport["cases"]> {
  const scope = await ownerCaseScope(db, owner);
  const caseRows = await db.select().from(agentCases).where(ownCases(db, scope)).orderBy(asc(agentCases.createdAt), asc(agentCases.id));
  const texts = await ownerCaseTexts(db, caseRows.map((c) => c.id));
  const textsOf = (caseId: string, kind: "reply" | "owner_reply") => texts.filter((e) => e.caseId === caseId && e.kind === kind).map((e) => ({ at: e.at.toISOString(), text: e.text }));
  return caseRows.map((c) => ({
    id: c.id,
    kind: c.kind,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    reportId: c.reportId,
    unbindItemId: c.unbindItemId,
    platform: c.platformId ? labelOf(c.platformId) : null,
    ...withReplies(caseDetail(c.detail), textsOf(c.id, "reply")),
    yourMessages: textsOf(c.id, "owner_reply"),
  }));
}

const withReplies = (detail: ReturnType<typeof caseDetail>, replies: { at: Iso; text: string }[]) => ({ ...detail, replies: [...detail.replies, ...replies] });

const NOTE_LINE = /^\[([^\]]+)\] staff [0-9a-f-]+: (.*)$/i;

/** A case's `detail`: its opening reason, then agents' notes as `[time] staff <id>: text` (lib/cases/cases.ts). */
export function caseDetail(detail: string | null): { reason: string | null; replies: { at: Iso; text: string }[] } {
  const reasons: string[] = [];
  const replies: { at: Iso; text: string }[] = [];
  for (const line of (detail ?? "").split("\n")) {
    const note = NOTE_LINE.exec(line);
    if (note) replies.push({ at: note[1]!, text: note[2]! });
    else if (line.trim()) reasons.push(line.trim());
  }
  return { reason: reasons.length ? reasons.join(" ") : null, replies };
}

/** The download's file name: the service, the day (UTC) and no number (file names travel). */
export function exportFileName(now: Date): string {
  return `reclaim-my-data-${now.toISOString().slice(0, 10)}.json`;
}
