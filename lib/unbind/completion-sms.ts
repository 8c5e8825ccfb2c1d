import type { Locale } from "@/lib/i18n/config";

/**
 * Every SMS the service sends opens with this sign-name, in both languages: mainland carriers
 * require the 【签名】 form, and one form lets an owner tell our texts from look-alikes.
 */
export const SMS_SIGN_NAME = "【Reclaim】";

const SMS_TEXT: Record<Locale, (c: Record<string, number>, link: string) => string> = {
  "zh-CN": (c, link) =>
    `${SMS_SIGN_NAME}你的解绑申请已完成：已解绑 ${c.unbound} 个，已排期 ${c.scheduled} 个，被拒绝 ${c.rejected} 个` +
    (c.needs_owner_action ? `，需你处理 ${c.needs_owner_action} 个` : "") +
    (c.failed ? `，未能送达 ${c.failed} 个（客服跟进中）` : "") +
    `。详情：${link}`,
  en: (c, link) =>
    `${SMS_SIGN_NAME}Your unbind request is complete: ${c.unbound} unbound, ${c.scheduled} scheduled, ${c.rejected} rejected` +
    (c.needs_owner_action ? `, ${c.needs_owner_action} need your action` : "") +
    (c.failed ? `, ${c.failed} not delivered (an agent is on it)` : "") +
    ` — details: ${link}`,
};

/**
 * The "your unbind request is complete" text, in the owner's language (sent by
 * lib/outbox/kinds/owner-sms.ts), with an absolute link to the batch: an SMS app only makes a
 * full URL tappable.
 */
export function completionSmsText(locale: Locale, counts: Record<string, number>, publicUrl: string, batchId: string): string {
  return SMS_TEXT[locale](counts, batchLink(publicUrl, batchId));
}

export function batchLink(publicUrl: string, batchId: string): string {
  return new URL(`/unbind/${encodeURIComponent(batchId)}`, publicUrl).toString();
}
