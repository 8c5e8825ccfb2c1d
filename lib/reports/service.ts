import { createHmac, hkdfSync, randomUUID } from "node:crypto";
import { and, count, desc, eq, gt, inArray, isNull, ne } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db";
import { outbox, owners, platforms, reportEvents, reportEvidence, reports, type Report } from "@/db/schema";
import { isAssignedToReport } from "@/lib/cases/queries";
import { recordAudit } from "@/lib/audit";
import { dataKeys, decryptBytes, encryptBytes } from "@/lib/security/encryption";
import { openTenure } from "@/lib/tenure";
import { classifyMessage, type ReportCategory, type ReportChannel } from "./classify";
import type { EvidenceStore } from "./evidence";
import { DAILY_REPORT_LIMIT, EVIDENCE_LIMITS } from "./limits";
import { redactText } from "./redact";
import { openField, reportAad, sealField } from "./sealed";
import { advanceReport, FINAL_REPORT_STATUSES, sendToAgents } from "./status";

export interface ReportInput {
  channel: ReportChannel;
  /** The message as pasted, or the owner's summary of a call. */
  text: string;
  sender?: string;
  receivedAt: Date;
  /** The owner's choice; the classifier's suggestion when absent. */
  category?: ReportCategory;
  platformId?: string;
  companyName?: string;
  /** "It happened again": the holder's own resolved or closed report this one repeats. */
  repeatOf?: string;
}

/** A screenshot already checked and stripped (lib/reports/evidence.ts inspectUpload). */
export interface PreparedEvidence {
  bytes: Uint8Array;
  mime: string;
}

export type CreateReportResult =
  | { ok: true; reportId: string; merged: boolean }
  | { ok: false; error: "no_tenure" | "unknown_platform" | "daily_limit" | "not_repeatable" };

/** A key of its own for the duplicate check, derived from the data key (never the AES key itself), once per key. */
const dedupeSecrets = new WeakMap<Buffer, Buffer>();
function dedupeSecret(): Buffer {
  const { key } = dataKeys()[0]!;
  let secret = dedupeSecrets.get(key);
  if (!secret) dedupeSecrets.set(key, (secret = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "reclaim-report-dedupe-v1", 32))));
  return secret;
}

/**
 * Same holder (tenure), same channel, same sender and the same words (ignoring spacing, width and
 * case): the same message. An HMAC under a key derived from the data key, so the hash says nothing
 * about the text to anyone who reads the table. After a key rotation, reports made before it are
 * not merged with later ones (they simply stay separate).
 */
function dedupeKey(tenureId: string, input: Pick<ReportInput, "channel" | "text" | "sender">): string {
  // Spacing carries no meaning in a pasted Chinese SMS (and little in English): all of it goes.
  const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  const sender = norm(input.sender ?? "").replace(/-/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  return createHmac("sha256", dedupeSecret())
    .update([tenureId, input.channel, sender, norm(input.text)].join("\u0000"))
    .digest("base64url");
}

/**
 * One report: encrypted text and sender, a "received" timeline entry, the screenshots (encrypted,
 * stored before the transaction and removed again if it fails), and, in the same transaction,
 * either an outbox row that forwards it to the platform it names or a case in the carrier's queue.
 * The same message reported again while the first report is open is merged into it.
 */
export async function createReport(
  db: Db,
  store: EvidenceStore,
  input: { ownerId: string; number: string; report: ReportInput; evidence: PreparedEvidence[]; now: Date },
): Promise<CreateReportResult> {
  const { report, now } = input;
  const tenure = await openTenure(db, input.number);
  if (!tenure) return { ok: false, error: "no_tenure" };
  if (report.platformId) {
    const [platform] = await db
      .select({ id: platforms.id })
      .from(platforms)
      .where(and(eq(platforms.id, report.platformId), ne(platforms.status, "disabled")));
    if (!platform) return { ok: false, error: "unknown_platform" };
  }
  // A repeat links to a report of the same holder that is over: an open one takes the repeat by merging.
  if (report.repeatOf && !(await repeatable(db, { ownerId: input.ownerId, tenureId: tenure.id }, report.repeatOf))) return { ok: false, error: "not_repeatable" };
  const suggested = classifyMessage({ text: report.text, channel: report.channel, sender: report.sender }).category;
  const key = dedupeKey(tenure.id, report);
  const scope = { ownerId: input.ownerId, tenureId: tenure.id };

  const existing = await openDuplicate(db, tenure.id, key);
  if (existing) return mergeInto(db, store, { ...input, ...scope, reportId: existing });
  // Checked again under the lock below; this spares storing files for a report that will be refused.
  if ((await reportsInLastDay(db, tenure.id, now)) >= DAILY_REPORT_LIMIT) return { ok: false, error: "daily_limit" };

  const reportId = randomUUID();
  const stored = await storeEvidence(store, reportId, input.evidence.slice(0, EVIDENCE_LIMITS.maxFiles), now);
  try {
    const outcome = await db.transaction(async (tx) => {
      // One holder's submissions are counted one at a time (the owner row stands for the number).
      await tx.select({ id: owners.id }).from(owners).where(eq(owners.id, input.ownerId)).for("update");
      if ((await reportsInLastDay(tx, tenure.id, now)) >= DAILY_REPORT_LIMIT) return "daily_limit" as const;
      const inserted = await tx
        .insert(reports)
        .values({
          id: reportId,
          ownerId: input.ownerId,
          tenureId: tenure.id,
          carrierId: tenure.carrierId,
          channel: report.channel,
          category: report.category ?? suggested,
          suggestedCategory: suggested,
          platformId: report.platformId ?? null,
          companyEnc: report.platformId ? null : sealField(reportId, "company", report.companyName?.trim()),
          textEnc: sealField(reportId, "text", report.text)!,
          senderEnc: sealField(reportId, "sender", report.sender?.trim()),
          receivedAt: report.receivedAt,
          dedupeKey: key,
          repeatOf: report.repeatOf ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: reports.id, ownerId: reports.ownerId, carrierId: reports.carrierId, platformId: reports.platformId });
      const row = inserted[0];
      // The same message submitted twice at once: the other submission won.
      if (!row) return "duplicate" as const;
      await tx.insert(reportEvents).values({ reportId, status: "received", at: now });
      if (stored.length > 0) await tx.insert(reportEvidence).values(stored.map((s) => ({ ...s, reportId })));
      if (row.platformId) {
        await tx.insert(outbox).values({ kind: "wrong_party_report", messageId: reportId, platformId: row.platformId, nextAttemptAt: now, createdAt: now });
      } else {
        await sendToAgents(tx, row, { at: now, reason: "no_platform" });
      }
      await recordAudit(tx, {
        actorType: "owner",
        actorId: input.ownerId,
        action: "report.created",
        subjectType: "report",
        subjectId: reportId,
        metadata: { category: report.category ?? suggested, suggested, forwarded: Boolean(row.platformId), files: stored.length, repeat: Boolean(report.repeatOf) },
      });
      return "created" as const;
    });
    if (outcome === "created") return { ok: true, reportId, merged: false };
    await removeEvidence(store, stored);
    if (outcome === "daily_limit") return { ok: false, error: "daily_limit" };
    const winner = await openDuplicate(db, tenure.id, key);
    // The winner closed in between: nothing to merge into any more, so this one is new after all.
    return winner ? mergeInto(db, store, { ...input, ...scope, reportId: winner }) : createReport(db, store, input);
  } catch (error) {
    await removeEvidence(store, stored);
    throw error;
  }
}

/** New reports this holder made in the 24 hours before `now`. */
async function reportsInLastDay(db: DbOrTx, tenureId: string, now: Date): Promise<number> {
  const [recent] = await db
    .select({ n: count() })
    .from(reports)
    .where(and(eq(reports.tenureId, tenureId), gt(reports.createdAt, new Date(now.getTime() - 24 * 3600_000))));
  return recent?.n ?? 0;
}

async function openDuplicate(db: Db, tenureId: string, key: string): Promise<string | null> {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.tenureId, tenureId), eq(reports.dedupeKey, key), isNull(reports.closedAt)));
  return row?.id ?? null;
}

/**
 * A repeat of an open report of the same holder: counted on it, and its new screenshots added
 * while there is room. The report is locked and checked again inside the transaction: if it was
 * closed in the meantime, the repeat becomes a new report after all.
 */
async function mergeInto(
  db: Db,
  store: EvidenceStore,
  input: { ownerId: string; tenureId: string; number: string; report: ReportInput; reportId: string; evidence: PreparedEvidence[]; now: Date },
): Promise<CreateReportResult> {
  const stored = await storeEvidence(store, input.reportId, input.evidence.slice(0, EVIDENCE_LIMITS.maxFiles), input.now);
  let kept = 0;
  try {
    const merged = await db.transaction(async (tx) => {
      const [current] = await tx
        .select({ duplicates: reports.duplicates, closedAt: reports.closedAt, tenureId: reports.tenureId })
        .from(reports)
        .where(eq(reports.id, input.reportId))
        .for("update");
      if (!current || current.closedAt || current.tenureId !== input.tenureId) return false;
      const [have] = await tx.select({ n: count() }).from(reportEvidence).where(eq(reportEvidence.reportId, input.reportId));
      const keep = stored.slice(0, Math.max(0, EVIDENCE_LIMITS.maxFiles - (have?.n ?? 0)));
      kept = keep.length;
      await tx
        .update(reports)
        .set({ duplicates: current.duplicates + 1, updatedAt: input.now })
        .where(eq(reports.id, input.reportId));
      if (keep.length > 0) await tx.insert(reportEvidence).values(keep.map((s) => ({ ...s, reportId: input.reportId })));
      await recordAudit(tx, { actorType: "owner", actorId: input.ownerId, action: "report.merged", subjectType: "report", subjectId: input.reportId, metadata: { files: keep.length } });
      return true;
    });
    await removeEvidence(store, stored.slice(kept));
    if (!merged) return createReport(db, store, input);
  } catch (error) {
    await removeEvidence(store, stored);
    throw error;
  }
  return { ok: true, reportId: input.reportId, merged: true };
}

async function storeEvidence(store: EvidenceStore, reportId: string, files: PreparedEvidence[], now: Date) {
  const stored: { id: string; storageKey: string; mime: string; bytes: number; createdAt: Date }[] = [];
  try {
    for (const file of files) {
      const id = randomUUID();
      const storageKey = `${reportId}/${id}`;
      await store.put(storageKey, encryptBytes(file.bytes, reportAad(reportId, `evidence:${id}`)), "application/octet-stream");
      stored.push({ id, storageKey, mime: file.mime, bytes: file.bytes.length, createdAt: now });
    }
  } catch (error) {
    await removeEvidence(store, stored);
    throw error;
  }
  return stored;
}

async function removeEvidence(store: EvidenceStore, stored: { storageKey: string }[]) {
  await Promise.all(stored.map((s) => store.delete(s.storageKey).catch(() => undefined)));
}

export interface ReportSummary {
  id: string;
  createdAt: Date;
  receivedAt: Date;
  channel: Report["channel"];
  category: Report["category"];
  status: Report["status"];
  reason: string | null;
  platformId: string | null;
  /** The sender's company or name as the owner typed it (no participating platform). */
  companyName: string | null;
  duplicates: number;
  /** The owner's own text: this view is theirs. */
  text: string;
  /** The sender number or name as the owner typed it. */
  sender: string | null;
  /** Whether the report has been with the carrier's agents at some point (lib/reports/parties.ts). */
  handedToAgents: boolean;
  /** The earlier report this one says happened again. */
  repeatOf: string | null;
}

/** The reports an owner sees: theirs, in their current tenure (the owner row follows the number, the tenure does not). */
const ownedBy = (owner: OwnerScope) => and(eq(reports.ownerId, owner.ownerId), eq(reports.tenureId, owner.tenureId));

/** The owner's reports in the current tenure, newest first. */
export async function ownerReports(db: Db, owner: OwnerScope): Promise<ReportSummary[]> {
  const rows = await db.select().from(reports).where(ownedBy(owner)).orderBy(desc(reports.createdAt));
  const handed = await handedToAgents(db, rows.map((r) => r.id));
  return rows.map((r) => summary(r, handed.has(r.id)));
}

/** Of these reports, those that have been in agent review (their timeline says so; the status may have moved on). */
async function handedToAgents(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: reportEvents.reportId })
    .from(reportEvents)
    .where(and(inArray(reportEvents.reportId, ids), eq(reportEvents.status, "agent_review")));
  return new Set(rows.map((r) => r.id));
}

function summary(r: Report, handedToAgents: boolean): ReportSummary {
  return {
    id: r.id,
    createdAt: r.createdAt,
    receivedAt: r.receivedAt,
    channel: r.channel,
    category: r.category,
    status: r.status,
    reason: r.reason,
    platformId: r.platformId,
    companyName: openField(r.id, "company", r.companyEnc),
    duplicates: r.duplicates,
    text: openField(r.id, "text", r.textEnc),
    sender: openField(r.id, "sender", r.senderEnc),
    handedToAgents,
    repeatOf: r.repeatOf,
  };
}

/** Whether the owner has reported anything in this tenure (the number page's task list). */
export async function hasReports(db: Db, owner: OwnerScope): Promise<boolean> {
  const rows = await db.select({ id: reports.id }).from(reports).where(ownedBy(owner)).limit(1);
  return rows.length > 0;
}

/** Another report of the same holder, as a link: "it happened again". */
export interface LinkedReport {
  id: string;
  receivedAt: Date;
  category: Report["category"];
}

export interface ReportView extends ReportSummary {
  suggestedCategory: Report["category"];
  note: string | null;
  events: { status: Report["status"]; at: Date; reason: string | null; note: string | null }[];
  evidence: { id: string; mime: string; bytes: number }[];
  /** The earlier report this one repeats, when it is one. */
  original: LinkedReport | null;
  /** Later reports that say this happened again, oldest first. */
  repeats: LinkedReport[];
}

const linked = { id: reports.id, receivedAt: reports.receivedAt, category: reports.category };

async function reportView(db: Db, r: Report): Promise<ReportView> {
  const [events, evidence, original, repeats] = await Promise.all([
    db.select().from(reportEvents).where(eq(reportEvents.reportId, r.id)).orderBy(reportEvents.at, reportEvents.id),
    db.select({ id: reportEvidence.id, mime: reportEvidence.mime, bytes: reportEvidence.bytes }).from(reportEvidence).where(eq(reportEvidence.reportId, r.id)).orderBy(reportEvidence.createdAt),
    // Links stay inside the holder's tenure, like everything else the owner sees.
    r.repeatOf ? db.select(linked).from(reports).where(and(eq(reports.id, r.repeatOf), eq(reports.tenureId, r.tenureId))) : Promise.resolve([]),
    db.select(linked).from(reports).where(and(eq(reports.repeatOf, r.id), eq(reports.tenureId, r.tenureId))).orderBy(reports.createdAt),
  ]);
  return {
    ...summary(r, events.some((e) => e.status === "agent_review")),
    original: original[0] ?? null,
    repeats,
    suggestedCategory: r.suggestedCategory,
    note: r.note,
    events: events.map((e) => ({ status: e.status, at: e.at, reason: e.reason, note: e.note })),
    evidence,
  };
}

/** An owner's own report in their current tenure, decrypted; null for anyone else's, and for a previous holder's. */
export async function ownerReport(db: Db, owner: OwnerScope, reportId: string): Promise<ReportView | null> {
  const [r] = await db.select().from(reports).where(and(eq(reports.id, reportId), ownedBy(owner)));
  return r ? reportView(db, r) : null;
}

/**
 * A report as the agent assigned to its case sees it: decrypted, because they act on it (the
 * number's owner and that agent are the only readers). Every read is written to the audit log.
 * Null for any other staff member.
 */
export async function agentReport(db: Db, staffId: string, reportId: string): Promise<ReportView | null> {
  if (!(await isAssignedToReport(db, staffId, reportId))) return null;
  const [r] = await db.select().from(reports).where(eq(reports.id, reportId));
  if (!r) return null;
  await recordAudit(db, { actorType: "staff", actorId: staffId, action: "report.read", subjectType: "report", subjectId: reportId });
  return reportView(db, r);
}

/** What a queue row may show of a report's text: redacted and short, for any agent of the carrier. */
export function reportPreview(report: Pick<Report, "id" | "textEnc">, chars = 120): string {
  const text = redactText(openField(report.id, "text", report.textEnc)).replace(/\s+/g, " ").trim();
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/** Whether the holder may say this report happened again: theirs, in this tenure, and over (resolved or closed). */
async function repeatable(db: DbOrTx, owner: OwnerScope, reportId: string): Promise<boolean> {
  const [r] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.id, reportId), ownedBy(owner), inArray(reports.status, [...FINAL_REPORT_STATUSES])));
  return Boolean(r);
}

/** What a repeat of a report starts with: who sent it and how, from the original; the owner adds the new message. */
export interface RepeatDraft {
  original: LinkedReport;
  channel: Report["channel"];
  category: Report["category"];
  platformId: string | null;
  companyName: string | null;
  sender: string | null;
}

/** The draft for "it happened again" on the owner's own resolved or closed report; null for any other. */
export async function repeatDraft(db: Db, owner: OwnerScope, reportId: string): Promise<RepeatDraft | null> {
  const [r] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.id, reportId), ownedBy(owner), inArray(reports.status, [...FINAL_REPORT_STATUSES])));
  if (!r) return null;
  return {
    original: { id: r.id, receivedAt: r.receivedAt, category: r.category },
    channel: r.channel,
    category: r.category,
    platformId: r.platformId,
    companyName: openField(r.id, "company", r.companyEnc),
    sender: openField(r.id, "sender", r.senderEnc),
  };
}

/** The owner withdraws a report: it leaves any agent queue, and a late platform answer is ignored. */
export async function closeReport(db: Db, owner: OwnerScope, reportId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [r] = await tx.select({ id: reports.id }).from(reports).where(and(eq(reports.id, reportId), ownedBy(owner)));
    if (!r) return false;
    const closed = await advanceReport(tx, reportId, { to: "closed", at: now, reason: "owner_closed" });
    if (closed) await recordAudit(tx, { actorType: "owner", actorId: owner.ownerId, action: "report.closed", subjectType: "report", subjectId: reportId });
    return closed;
  });
}

/** An owner as their current tenure: what they see of reports. */
export interface OwnerScope {
  ownerId: string;
  tenureId: string;
}

/** The reports an owner may see and change: their current tenure's. Null without a tenure on record. */
export function ownerScope(who: { id: string; tenure: { id: string } | null }): OwnerScope | null {
  return who.tenure ? { ownerId: who.id, tenureId: who.tenure.id } : null;
}

export type EvidenceReader = ({ kind: "owner" } & OwnerScope) | { kind: "staff"; staffId: string };

/**
 * A screenshot, decrypted, for the owner who reported it or the agent assigned to its case (an
 * agent of the report's carrier with an open case on it assigned to them); null for anyone else.
 * Every staff read is written to the audit log.
 */
export async function readEvidence(
  db: Db,
  store: EvidenceStore,
  reader: EvidenceReader,
  input: { reportId: string; evidenceId: string },
): Promise<{ bytes: Uint8Array; mime: string } | null> {
  const [file] = await db
    .select({
      id: reportEvidence.id,
      reportId: reports.id,
      storageKey: reportEvidence.storageKey,
      mime: reportEvidence.mime,
      ownerId: reports.ownerId,
      tenureId: reports.tenureId,
    })
    .from(reportEvidence)
    .innerJoin(reports, eq(reports.id, reportEvidence.reportId))
    .where(and(eq(reportEvidence.id, input.evidenceId), eq(reportEvidence.reportId, input.reportId)));
  if (!file) return null;
  if (reader.kind === "owner" && (reader.ownerId !== file.ownerId || reader.tenureId !== file.tenureId)) return null;
  if (reader.kind === "staff") {
    if (!(await isAssignedToReport(db, reader.staffId, file.reportId))) return null;
    await recordAudit(db, { actorType: "staff", actorId: reader.staffId, action: "report.evidence_read", subjectType: "report", subjectId: file.reportId, metadata: { evidenceId: file.id } });
  }
  const sealed = await store.get(file.storageKey);
  if (!sealed) return null;
  // The key context is built from the stored ids, not the URL's spelling of them (a UUID may arrive
  // in upper case and still match the row).
  return { bytes: decryptBytes(sealed, reportAad(file.reportId, `evidence:${file.id}`)), mime: file.mime };
}
