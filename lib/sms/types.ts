import type { Locale } from "@/lib/i18n/config";

/**
 * One text message to one mobile number. `template` carries what template-based providers (Alibaba
 * Cloud, Tencent Cloud: mainland China requires pre-approved templates) send instead of `body`.
 */
export interface SmsMessage {
  /** E.164, e.g. +8613800138000. */
  to: string;
  /** The full text, in the recipient's language, for providers that send free text. */
  body: string;
  locale: Locale;
  /** The device id of the browser that asked for it (codes only); only the dev outbox uses it. */
  device?: string;
  template:
    | { kind: "otp"; params: { code: string; minutes: string } }
    /** "Your unbind request is complete: 5 unbound, 1 scheduled, 1 rejected — details: <link>". */
    | { kind: "unbind_complete"; params: { unbound: string; scheduled: string; rejected: string; other: string; link: string } }
    /** "Customer service replied to you — read it at <link>" (never the reply itself). */
    | { kind: "case_reply"; params: { link: string } };
}

export interface SmsResult {
  /** The provider's id for the message, for support requests. */
  providerMessageId?: string;
}

export interface SmsProvider {
  readonly name: "dev" | "twilio" | "aliyun" | "tencent";
  send(message: SmsMessage): Promise<SmsResult>;
}

/** A provider answered with an error, or could not be reached. Never carries the message body. */
export class SmsSendError extends Error {
  constructor(
    readonly provider: SmsProvider["name"],
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`SMS via ${provider} failed: ${reason}${status ? ` (HTTP ${status})` : ""}`);
    this.name = "SmsSendError";
  }
}
