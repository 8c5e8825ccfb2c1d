import type { Locale } from "@/lib/i18n/config";
import { SMS_SIGN_NAME } from "@/lib/unbind/completion-sms";

/**
 * The SMS that tells an owner customer service replied on their case, in their language. It says
 * that there is a reply and where to read it, never the reply itself: the text may name people,
 * and an SMS can be read by whoever holds the phone, on a lock screen or in a carrier's logs.
 */
const TEXT: Record<Locale, (link: string) => string> = {
  "zh-CN": (link) => `${SMS_SIGN_NAME}运营商客服回复了你的问题，请登录查看：${link}`,
  en: (link) => `${SMS_SIGN_NAME}Carrier customer service replied to you. Sign in to read it: ${link}`,
};

/** Where the owner reads replies: their number page (an SMS app only makes a full URL tappable). */
export const caseReplyLink = (publicUrl: string) => new URL("/me", publicUrl).toString();

export function caseReplySmsText(locale: Locale, publicUrl: string): string {
  return TEXT[locale](caseReplyLink(publicUrl));
}
