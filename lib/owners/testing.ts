import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { numberTenures, owners, platforms } from "@/db/schema";
import { openCase, replyCase } from "@/lib/cases/cases";
import type { Clock } from "@/lib/clock";
import { dispatchOnce, type DispatchDeps } from "@/lib/outbox/dispatch";
import { giveConsent, lookupConfig, runLookup, startLookup } from "@/lib/platforms/lookup";
import type { EvidenceStore } from "@/lib/reports/evidence";
import { createReport } from "@/lib/reports/service";
import { createBatch, eligiblePlatforms } from "@/lib/unbind/batch";

/** A 1×1 PNG: the smallest real screenshot. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/**
 * For the export and erasure tests: an owner who did everything once — consent, a look-up answered
 * by the reference partner, an unbind request delivered to the first `unbind` platforms it found
 * bound before the tenure, a report forwarded to a platform (with a screenshot), and a report for
 * the carrier's agents with a note from one of them.
 */
export async function ownerWithHistory(
  db: Db,
  store: EvidenceStore,
  input: { number: string; clock: Clock; deps: DispatchDeps; staffId: string; text: string; unbind?: number; reportTo?: string },
) {
  const now = input.clock.now();
  const [owner] = await db
    .insert(owners)
    .values({ number: input.number, termsVersion: "test", termsAcceptedAt: now, lastSignInAt: now, lastVerifiedAt: now })
    .onConflictDoUpdate({ target: owners.number, set: { lastVerifiedAt: now, lastSignInAt: now } })
    .returning({ id: owners.id });
  const ownerId = owner!.id;
  const [tenure] = await db.select().from(numberTenures).where(and(eq(numberTenures.number, input.number), isNull(numberTenures.endedAt)));
  const active = await db.select({ id: platforms.id, slug: platforms.slug }).from(platforms).where(eq(platforms.status, "active"));
  await giveConsent(db, { ownerId, tenureId: tenure!.id, platformIds: active.map((p) => p.id), now });
  const lookup = await startLookup(db, { ownerId, number: input.number, now, config: { ...lookupConfig(), minIntervalSeconds: 0 } });
  if (!lookup.ok) throw new Error(`look-up not started: ${lookup.error}`);
  await runLookup(db, lookup.lookupId, { clock: input.clock, policy: input.deps.policy, env: { SANDBOX_PARTNER_URL: input.deps.env?.SANDBOX_PARTNER_URL } });

  const eligible = (await eligiblePlatforms(db, ownerId, tenure!.id)).sort().slice(0, input.unbind ?? 2);
  let batchId: string | null = null;
  if (eligible.length) {
    const batch = await createBatch(db, { ownerId, number: input.number, platformIds: eligible, now });
    if (!batch.ok) throw new Error(`batch not created: ${batch.error}`);
    batchId = batch.batchId;
  }
  const reportTo = input.reportTo ? active.find((p) => p.slug === input.reportTo)?.id : undefined;
  const forwarded = await createReport(db, store, {
    ownerId,
    number: input.number,
    report: { channel: "sms", text: input.text, sender: "10690003001", receivedAt: new Date(now.getTime() - 3600_000), platformId: reportTo },
    evidence: [{ bytes: PNG, mime: "image/png" }],
    now,
  });
  const queued = await createReport(db, store, {
    ownerId,
    number: input.number,
    report: { channel: "call", text: `${input.text} (call)`, companyName: "某某资产管理公司", receivedAt: new Date(now.getTime() - 7200_000) },
    evidence: [],
    now,
  });
  if (!forwarded.ok || !queued.ok) throw new Error("report not created");
  await dispatchOnce(input.deps);
  // The agents' report is in a case already (no platform); an agent answers on it.
  const agentCase = await openCase(db, { kind: "report_review", subject: { reportId: queued.reportId }, ownerId, platformId: null, carrierId: tenure!.carrierId, at: now });
  await replyCase(db, { caseId: agentCase.id, staffId: input.staffId, text: "已联系该公司停止拨打", at: now });
  return { ownerId, tenureId: tenure!.id, batchId, unbound: eligible, reportIds: [forwarded.reportId, queued.reportId], caseId: agentCase.id, lookupId: lookup.lookupId };
}
