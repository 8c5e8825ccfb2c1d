import type { Locale } from "@/lib/i18n/config";

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

/** The "your unbind request is complete" text, in the owner's language (sent by lib/outbox/kinds/owner-sms.ts). */
export function completionSmsText(locale: Locale, counts: Record<string, number>, link: string): string {
  return SMS_TEXT[locale](counts, link);
}
