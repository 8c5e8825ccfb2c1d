import { eq, inArray } from "drizzle-orm";
import { owners, unbindBatches } from "@/db/schema";
import { DEV_PUBLIC_URL } from "@/lib/env";
import type { Locale } from "@/lib/i18n/config";
import type { SmsProvider } from "@/lib/sms/types";
import { batchLink, completionSmsText } from "@/lib/unbind/completion-sms";
import { countsByBatch } from "@/lib/unbind/transitions";
import { MAX_ATTEMPTS } from "../retry";
import { defineKind, type OutboxDeps } from "../types";

export interface OwnerSmsDeps extends OutboxDeps {
  sms?: () => SmsProvider;
  /** Public URL of the service, for the link in the text (env().publicUrl; tests may leave it out). */
  publicUrl?: string;
}

/**
 * `owner_sms`: "your unbind request is complete" to the owner, once per batch (the row is keyed by
 * the batch id), in their language, with the counts per outcome and a link to the batch.
 */
export const ownerSms = defineKind({
  missing: "missing_batch",
  async load(db, rows) {
    const ids = rows.map((r) => r.messageId);
    const batches = await db
      .select({ id: unbindBatches.id, locale: unbindBatches.locale, number: owners.number })
      .from(unbindBatches)
      .innerJoin(owners, eq(owners.id, unbindBatches.ownerId))
      .where(inArray(unbindBatches.id, ids));
    const counts = await countsByBatch(db, batches.map((b) => b.id));
    return new Map(batches.map((b) => [b.id, { ...b, counts: counts.get(b.id)! }]));
  },
  async send({ row, ctx }, deps: OwnerSmsDeps) {
    if (!deps.sms) return { kind: "final", label: "no_sms_provider" };
    const locale: Locale = ctx.locale === "en" ? "en" : "zh-CN";
    const { counts } = ctx;
    const publicUrl = deps.publicUrl ?? DEV_PUBLIC_URL;
    const link = batchLink(publicUrl, ctx.id);
    try {
      await deps.sms().send({
        to: ctx.number,
        body: completionSmsText(locale, counts, publicUrl, ctx.id),
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
      return row.attempts >= MAX_ATTEMPTS ? { kind: "final", label: "sms_failed" } : { kind: "retry", label: "sms_failed" };
    }
    return { kind: "accepted" };
  },
});
