import type { ReportCategory, ReportChannel } from "./classify";
import { formats, timeZone } from "@/lib/i18n/config";
import { redactText } from "./redact";

const CATEGORY_ZH: Record<ReportCategory, string> = {
  debt_collection: "催收骚扰",
  loan_credit: "贷款推销",
  ride_delivery: "出行/外卖/快递联系",
  government_notice: "政务/公共事业通知",
  verification_code: "他人的验证码",
  previous_owner: "前机主联系",
  marketing: "营销推广",
  fraud: "疑似诈骗",
  other: "其他骚扰",
};
const CHANNEL_ZH: Record<ReportChannel, string> = { sms: "短信", call: "来电", other: "信息" };
/** How much of the message goes into the 12321 text: an SMS to 12321 should stay short. */
const EXCERPT_CHARS = 240;

/**
 * The text an owner can send to 12321 (the national centre for reports of spam and harmful
 * messages) in addition to their report here. Always in Chinese, whatever the page's language,
 * because 12321 reads Chinese; redacted, because it leaves the owner's own view.
 */
export function prefilled12321(input: { category: ReportCategory; channel: ReportChannel; sender: string | null; receivedAt: Date; text: string }): string {
  const when = new Intl.DateTimeFormat("zh-CN", { timeZone, ...formats.dateTime.moment }).format(input.receivedAt);
  const text = redactText(input.text).replace(/\s+/g, " ").trim();
  const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return [
    `举报${CHANNEL_ZH[input.channel]}（${CATEGORY_ZH[input.category]}）。`,
    input.sender ? `发送方：${redactText(input.sender)}。` : "",
    `收到时间：${when}。`,
    // Quoted, so the message's own text cannot run into the sentence after it.
    `内容：“${excerpt}”。`,
    "本号码为运营商重新放号的二次号，此信息是发给前机主的，与本人无关，请核查并制止。",
  ].join("");
}
