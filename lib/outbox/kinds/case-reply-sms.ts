import { and, desc, eq, inArray } from "drizzle-orm";
import { agentCases, caseEvents, owners, unbindBatches } from "@/db/schema";
import { caseReplyLink, caseReplySmsText } from "@/lib/cases/reply-sms";
import { DEV_PUBLIC_URL } from "@/lib/env";
import type { Locale } from "@/lib/i18n/config";
import { MAX_ATTEMPTS } from "../retry";
import { defineKind } from "../types";
import type { OwnerSmsDeps } from "./owner-sms";

/**
 * `case_reply_sms`: "customer service replied to you" to the owner of the case, keyed by the
 * reply's `case_events` id (one SMS per reply, however often it is retried). Written in the same
 * transaction as the reply (lib/cases/cases.ts `replyToOwner`). The owner's language is the one
 * of their latest unbind request, else zh-CN (owners have no stored language of their own). An
 * owner erased since (no owner on the case) is not texted.
 */
export const caseReplySms = defineKind({
  missing: "missing_reply",
  async load(db, rows) {
    const found = await db
      .select({ eventId: caseEvents.id, ownerId: owners.id, number: owners.number })
      .from(caseEvents)
      .innerJoin(agentCases, eq(agentCases.id, caseEvents.caseId))
      .innerJoin(owners, eq(owners.id, agentCases.ownerId))
      .where(and(inArray(caseEvents.id, rows.map((r) => r.messageId)), eq(caseEvents.kind, "reply")));
    const contexts = new Map<string, { number: string; locale: Locale }>();
    for (const f of found) {
      const [latest] = await db.select({ locale: unbindBatches.locale }).from(unbindBatches).where(eq(unbindBatches.ownerId, f.ownerId)).orderBy(desc(unbindBatches.createdAt)).limit(1);
      contexts.set(f.eventId, { number: f.number, locale: latest?.locale === "en" ? "en" : "zh-CN" });
    }
    return contexts;
  },
  async send({ row, ctx }, deps: OwnerSmsDeps) {
    if (!deps.sms) return { kind: "final", label: "no_sms_provider" };
    const publicUrl = deps.publicUrl ?? DEV_PUBLIC_URL;
    try {
      await deps.sms().send({
        to: ctx.number,
        body: caseReplySmsText(ctx.locale, publicUrl),
        locale: ctx.locale,
        template: { kind: "case_reply", params: { link: caseReplyLink(publicUrl) } },
      });
    } catch {
      return row.attempts >= MAX_ATTEMPTS ? { kind: "final", label: "sms_failed" } : { kind: "retry", label: "sms_failed" };
    }
    return { kind: "accepted" };
  },
});
