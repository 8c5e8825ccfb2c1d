import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db";
import { agentCases, numberTenures, outbox, owners, platforms, unbindBatches, unbindItems, type OutboxRow } from "@/db/schema";
import { systemClock } from "@/lib/clock";
import type { Locale } from "@/lib/i18n/config";
import { issueAttestation } from "@/lib/platforms/attestation";
import { callPartner, type CallResult } from "@/lib/platforms/client";
import { partnerColumns, partnerEndpoint } from "@/lib/platforms/lookup";
import { deliverReport } from "@/lib/reports/forward";
import { holdWhilePaused, MAX_ATTEMPTS, scheduleRetry, settle, verdictOf, type DispatchDeps, type Outcome } from "./outbox";
import { advanceItem, batchCounts } from "./transitions";

export { MAX_ATTEMPTS, RETRY_DELAYS_MS, type DispatchDeps } from "./outbox";

/**
 * Delivers the outbox. Each run claims due rows with `FOR UPDATE SKIP LOCKED` and a lease, so any
 * number of dispatchers (the in-process loop, the cron route, `npm run worker`) can run at once
 * without two sending the same row at the same time. Delivery is at least once: a dispatcher that
 * dies mid-send leaves a lease that expires, and the row is sent again under the same webhook-id,
 * which is the platform's idempotency key.
 *
 * Retries follow lib/unbind/outbox.ts. For an unbind request, 410 also disables the platform and a
 * final failure marks the item failed and opens an agent case.
 */
export interface DispatchSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** Claims up to `limit` due rows: one statement, so a row is never claimed twice at once. */
export async function claimDue(db: Db, now: Date, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const claimed = await db
    .update(outbox)
    .set({ lockedUntil: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}

/** Claims and delivers one round of due rows, all in parallel. */
export async function dispatchOnce(deps: DispatchDeps, { limit = 32 } = {}): Promise<DispatchSummary> {
  const clock = deps.clock ?? systemClock;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const rows = await claimDue(deps.db, clock.now(), { limit, leaseMs: deps.leaseMs ?? timeoutMs + 20_000 });
  const summary: DispatchSummary = { claimed: rows.length, delivered: 0, retrying: 0, failed: 0 };
  const outcomes = await Promise.all(
    rows.map((row) =>
      deliver(deps, row, timeoutMs).catch(async (error: unknown) => {
        // Our own failure (e.g. the database): logged by kind only, and the row retried soon.
        console.error("[dispatcher] delivery failed:", (error as { code?: string })?.code ?? (error as Error)?.name);
        await scheduleRetry(deps, row, clock.now(), "internal_error").catch(() => undefined);
        return "retrying" as const;
      }),
    ),
  );
  for (const outcome of outcomes) summary[outcome]++;
  return summary;
}

async function deliver(deps: DispatchDeps, row: OutboxRow, timeoutMs: number): Promise<Outcome> {
  if (row.kind === "owner_sms") return deliverSms(deps, row);
  if (row.kind === "wrong_party_report") return deliverReport(deps, row, timeoutMs);
  return deliverUnbind(deps, row, timeoutMs);
}

async function deliverUnbind(deps: DispatchDeps, row: OutboxRow, timeoutMs: number): Promise<Outcome> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const [ctx] = await db
    .select({
      itemId: unbindItems.id,
      ownerId: unbindBatches.ownerId,
      verifiedAt: unbindBatches.verifiedAt,
      number: owners.number,
      tenureStart: numberTenures.startedAt,
      tenureSource: numberTenures.source,
      simChangedAt: numberTenures.simChangedAt,
      carrierId: numberTenures.carrierId,
      platform: partnerColumns,
    })
    .from(unbindItems)
    .innerJoin(unbindBatches, eq(unbindBatches.id, unbindItems.batchId))
    .innerJoin(owners, eq(owners.id, unbindBatches.ownerId))
    .innerJoin(numberTenures, eq(numberTenures.id, unbindBatches.tenureId))
    .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
    .where(eq(unbindItems.id, row.messageId));
  if (!ctx) {
    await settle(deps, row, { status: "dead", at: clock.now(), reason: "missing_item" });
    return "failed";
  }

  const giveUp = async (reason: string, kind: "delivery_failed" | "endpoint_gone", disablePlatform = false) => {
    const now = clock.now();
    await settle(deps, row, { status: "dead", at: now, reason, disablePlatform }, async (tx) => {
      await advanceItem(tx, ctx.itemId, { to: "failed", at: now, reason });
      await tx.insert(agentCases).values({
        kind,
        carrierId: ctx.carrierId,
        ownerId: ctx.ownerId,
        platformId: ctx.platform.id,
        unbindItemId: ctx.itemId,
        detail: reason,
        createdAt: now,
      });
    });
    return "failed" as const;
  };

  if (ctx.platform.status === "disabled") return giveUp("endpoint_gone", "endpoint_gone");
  if (ctx.platform.status === "paused") {
    await holdWhilePaused(deps, row, clock.now());
    return "retrying";
  }
  if (row.attempts === 1) await db.transaction((tx) => advanceItem(tx, ctx.itemId, { to: "sent", at: clock.now() }));

  const { token } = await issueAttestation(
    {
      platform: ctx.platform.slug,
      number: ctx.number,
      tenureStart: ctx.tenureStart,
      tenureSource: ctx.tenureSource,
      otpVerifiedAt: ctx.verifiedAt,
      simChangedAt: ctx.simChangedAt,
    },
    { keys: deps.keys },
  );
  const result: CallResult = await callPartner(
    partnerEndpoint(ctx.platform, deps.env),
    "/unbind",
    { requestId: ctx.itemId, number: ctx.number, tenureStart: ctx.tenureStart.toISOString(), attestation: token },
    { id: ctx.itemId, timeoutMs, policy: deps.policy },
  );
  const now = clock.now();

  const verdict = verdictOf(result, row.attempts);
  if (verdict.kind === "accepted") {
    await settle(deps, row, { status: "delivered", at: now }, (tx) => advanceItem(tx, ctx.itemId, { to: "accepted", at: now }));
    return "delivered";
  }
  if (verdict.kind === "gone") return giveUp("endpoint_gone", "endpoint_gone", true);
  if (verdict.kind === "final") return giveUp(verdict.label, "delivery_failed");
  await scheduleRetry(deps, row, now, verdict.label, verdict.retryAfterSeconds);
  return "retrying";
}

const SMS_TEXT: Record<Locale, (c: Record<string, number>, link: string) => string> = {
  "zh-CN": (c, link) =>
    `【Reclaim】你的解绑申请已完成：已解绑 ${c.unbound} 个，已排期 ${c.scheduled} 个，被拒绝 ${c.rejected} 个` +
    (c.needs_owner_action ? `，需你处理 ${c.needs_owner_action} 个` : "") +
    (c.failed ? `，未能送达 ${c.failed} 个（客服跟进中）` : "") +
    `。详情：${link}`,
  en: (c, link) =>
    `Reclaim: your unbind request is complete: ${c.unbound} unbound, ${c.scheduled} scheduled, ${c.rejected} rejected` +
    (c.needs_owner_action ? `, ${c.needs_owner_action} need your action` : "") +
    (c.failed ? `, ${c.failed} not delivered (an agent is on it)` : "") +
    ` — details: ${link}`,
};

/** The "your unbind request is complete" text, in the owner's language. */
export function completionSmsText(locale: Locale, counts: Record<string, number>, link: string): string {
  return SMS_TEXT[locale](counts, link);
}

async function deliverSms(deps: DispatchDeps, row: OutboxRow): Promise<Outcome> {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const [batch] = await db
    .select({ id: unbindBatches.id, locale: unbindBatches.locale, number: owners.number })
    .from(unbindBatches)
    .innerJoin(owners, eq(owners.id, unbindBatches.ownerId))
    .where(eq(unbindBatches.id, row.messageId));
  if (!batch || !deps.sms) {
    await settle(deps, row, { status: "dead", at: clock.now(), reason: batch ? "no_sms_provider" : "missing_batch" });
    return "failed";
  }
  const counts = await batchCounts(db, batch.id);
  const locale: Locale = batch.locale === "en" ? "en" : "zh-CN";
  const link = `${(deps.publicUrl ?? "").replace(/\/+$/, "")}/unbind/${batch.id}`;
  try {
    await deps.sms().send({
      to: batch.number,
      body: completionSmsText(locale, counts, link),
      locale,
      template: {
        kind: "unbind_complete",
        params: {
          unbound: String(counts.unbound),
          scheduled: String(counts.scheduled),
          rejected: String(counts.rejected),
          other: String(counts.needs_owner_action + counts.failed),
          link,
        },
      },
    });
  } catch {
    const now = clock.now();
    if (row.attempts >= MAX_ATTEMPTS) {
      await settle(deps, row, { status: "dead", at: now, reason: "sms_failed" });
      return "failed";
    }
    await scheduleRetry(deps, row, now, "sms_failed");
    return "retrying";
  }
  await settle(deps, row, { status: "delivered", at: clock.now() });
  return "delivered";
}

/** A platform that accepted a request and has not answered in this long gets an agent's attention. */
export const SILENCE_BEFORE_CASE_MS = 14 * 24 * 3600_000;

/**
 * Accepted items whose platform never called back would otherwise wait forever: each one older
 * than `afterMs` opens one `no_answer` case (once per item).
 */
export async function openCasesForSilence(db: Db, now: Date, afterMs = SILENCE_BEFORE_CASE_MS): Promise<number> {
  const cutoff = new Date(now.getTime() - afterMs);
  const opened = await queryRows<{ id: string }>(db, sql`
    insert into ${agentCases} (kind, carrier_id, owner_id, platform_id, unbind_item_id, detail, created_at)
    select 'no_answer', t.carrier_id, b.owner_id, i.platform_id, i.id, 'no_callback', ${now}
    from ${unbindItems} i
    join ${unbindBatches} b on b.id = i.batch_id
    join ${numberTenures} t on t.id = b.tenure_id
    where i.status = 'accepted' and i.updated_at < ${cutoff}
      and not exists (select 1 from ${agentCases} c where c.unbind_item_id = i.id and c.kind = 'no_answer')
    returning id`);
  return opened.length;
}
