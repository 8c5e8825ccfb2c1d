import "server-only";
import type { Db } from "@/db";
import type { ReportCategory, ReportChannel, ReportStatus } from "@/db/enums";
import { maskNumber } from "@/lib/phone/mask";
import { shortReference } from "@/lib/records/reference";
import { redactText } from "./redact";
import { ownerReport, type OwnerScope } from "./service";
import { knownReason, type ReportReason } from "./status";

export interface ReportRecordEvent {
  status: ReportStatus;
  at: Date;
  reason: ReportReason | null;
  /** What the platform or agent wrote, with any personal data masked. */
  note: string | null;
}

/**
 * What a printable record of one report holds: what was reported, to whom and when, and every
 * answer in order. It leaves the service on paper, so the message appears as platforms receive it
 * (names, ID, card and phone numbers, amounts masked: lib/reports/redact.ts), never as pasted;
 * the sender and every note are masked the same way; screenshots are counted, not included.
 */
export interface ReportRecord {
  reportId: string;
  reference: string;
  maskedNumber: string;
  createdAt: Date;
  receivedAt: Date;
  channel: ReportChannel;
  category: ReportCategory;
  /** The participating platform the owner named: it received the report itself. */
  platformId: string | null;
  /** The sender's company as the owner typed it, when no participating platform was named (masked). */
  companyName: string | null;
  /** The sender's number or name as shown on the owner's phone (masked). */
  sender: string | null;
  /** The message as forwarded. */
  redactedText: string;
  status: ReportStatus;
  reason: ReportReason | null;
  note: string | null;
  duplicates: number;
  screenshots: number;
  events: ReportRecordEvent[];
  generatedAt: Date;
}

const masked = (s: string | null) => (s ? redactText(s) : null);

/** The record of the owner's own report in their current tenure; null for anyone else's. */
export async function reportRecord(db: Db, owner: OwnerScope & { number: string }, reportId: string, now: Date): Promise<ReportRecord | null> {
  const report = await ownerReport(db, owner, reportId);
  if (!report) return null;
  return {
    reportId: report.id,
    reference: shortReference("RP", report.id),
    maskedNumber: maskNumber(owner.number),
    createdAt: report.createdAt,
    receivedAt: report.receivedAt,
    channel: report.channel,
    category: report.category,
    platformId: report.platformId,
    companyName: masked(report.companyName),
    sender: masked(report.sender),
    redactedText: redactText(report.text),
    status: report.status,
    reason: knownReason(report.reason),
    note: masked(report.note),
    duplicates: report.duplicates,
    screenshots: report.evidence.length,
    events: report.events.map((e) => ({ status: e.status, at: e.at, reason: knownReason(e.reason), note: masked(e.note) })),
    generatedAt: now,
  };
}
