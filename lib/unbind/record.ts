import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import type { TenureSource, UnbindStatus } from "@/db/enums";
import { numberTenures, outbox, unbindBatches } from "@/db/schema";
import { maskNumber } from "@/lib/phone/mask";
import type { LabelledPlatform } from "@/lib/platforms/labels";
import { totalAttempts } from "@/lib/outbox/rearm";
import { platformsById } from "@/lib/platforms/queries";
import { redactText } from "@/lib/reports/redact";
import { shortReference } from "@/lib/records/reference";
import { ownerBatch } from "./batch";

/** One answer or attempt in a platform's part of the request, oldest first. */
export interface UnbindRecordEvent {
  status: UnbindStatus;
  at: Date;
  /** A reason code (rejected, failed), shown in words; never free text. */
  reason: string | null;
  /** What a platform asked the owner to do (needs_owner_action), with any personal data masked. */
  instructions: string | null;
}

export interface UnbindRecordItem {
  /** The protocol's requestId: what the platform knows the request by. */
  requestId: string;
  reference: string;
  /** Labelled by the page (a category-only platform is never named). */
  platform: LabelledPlatform;
  status: UnbindStatus;
  effectiveAt: Date | null;
  reason: string | null;
  instructions: string | null;
  /** How often we tried to deliver the request, whether we still try, and when it was delivered. */
  delivery: "pending" | "delivered" | "dead";
  attempts: number;
  deliveredAt: Date | null;
  events: UnbindRecordEvent[];
}

/**
 * What a printable record of one unbind batch holds: what the signed request stated and when it
 * went, and every platform's answers in order. The number is masked (the record leaves the
 * service on paper), and nothing about the previous owner's accounts is in it: platforms answer
 * with statuses and reason codes, and free-text instructions are redacted like any text that
 * leaves the owner's own view.
 */
export interface UnbindRecord {
  batchId: string;
  reference: string;
  maskedNumber: string;
  /** The tenure the request stated (the attestation's tenure_start and tenure_source). */
  tenure: { startedAt: Date; source: TenureSource };
  sentAt: Date;
  /** When the owner last proved the number by SMS code before sending (otp_verified_at). */
  verifiedAt: Date;
  completedAt: Date | null;
  items: UnbindRecordItem[];
  generatedAt: Date;
}

/**
 * The record of the owner's own batch in their current tenure; null for anyone else's, and for a
 * batch of an earlier holder of the same number (the owner row follows the number, the tenure
 * does not).
 */
export async function unbindRecord(
  db: Db,
  owner: { id: string; number: string; tenureId: string },
  batchId: string,
  now: Date,
): Promise<UnbindRecord | null> {
  const [head] = await db
    .select({ verifiedAt: unbindBatches.verifiedAt, startedAt: numberTenures.startedAt, source: numberTenures.source })
    .from(unbindBatches)
    .innerJoin(numberTenures, eq(numberTenures.id, unbindBatches.tenureId))
    .where(and(eq(unbindBatches.id, batchId), eq(unbindBatches.ownerId, owner.id), eq(unbindBatches.tenureId, owner.tenureId)));
  if (!head) return null;
  const batch = await ownerBatch(db, owner.id, batchId);
  if (!batch) return null;
  const itemIds = batch.items.map((i) => i.id);
  const [platformRows, deliveries] = await Promise.all([
    platformsById(db, batch.items.map((i) => i.platformId)),
    itemIds.length
      ? db
          .select({ messageId: outbox.messageId, status: outbox.status, attempts: totalAttempts, deliveredAt: outbox.deliveredAt })
          .from(outbox)
          .where(and(eq(outbox.kind, "unbind_request"), inArray(outbox.messageId, itemIds)))
      : Promise.resolve([]),
  ]);
  const platforms = new Map(platformRows.map((p) => [p.id, p]));
  const delivery = new Map(deliveries.map((d) => [d.messageId, d]));
  // Only needs_owner_action carries the platform's own words; every other reason is a code.
  const split = (status: UnbindStatus, reason: string | null) =>
    status === "needs_owner_action" ? { reason: null, instructions: reason ? redactText(reason) : null } : { reason, instructions: null };

  const items = batch.items
    .map((item): UnbindRecordItem => ({
      requestId: item.id,
      reference: shortReference("UB", item.id),
      platform: platforms.get(item.platformId)!,
      status: item.status,
      effectiveAt: item.effectiveAt,
      ...split(item.status, item.reason),
      delivery: delivery.get(item.id)?.status ?? "pending",
      attempts: delivery.get(item.id)?.attempts ?? 0,
      deliveredAt: delivery.get(item.id)?.deliveredAt ?? null,
      events: item.events.map((e) => ({ status: e.status, at: e.at, ...split(e.status, e.reason) })),
    }))
    // One order on paper, whatever order the rows come back in (the page orders by label in its language).
    .sort((a, b) => a.requestId.localeCompare(b.requestId));

  return {
    batchId: batch.id,
    reference: shortReference("UB", batch.id),
    maskedNumber: maskNumber(owner.number),
    tenure: { startedAt: head.startedAt, source: head.source },
    sentAt: batch.createdAt,
    verifiedAt: head.verifiedAt,
    completedAt: batch.completedAt,
    items,
    generatedAt: now,
  };
}
