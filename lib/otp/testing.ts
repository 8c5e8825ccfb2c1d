import type { SmsMessage, SmsProvider } from "@/lib/sms/types";

/** An SMS provider that keeps what it was asked to send, for tests. */
export function recordingSms(): SmsProvider & { sent: SmsMessage[]; lastCode(): string; failNext(): void } {
  const sent: SmsMessage[] = [];
  let fail = false;
  return {
    name: "dev",
    sent,
    async send(message) {
      if (fail) {
        fail = false;
        const { SmsSendError } = await import("@/lib/sms/types");
        throw new SmsSendError("dev", "simulated outage", 503);
      }
      sent.push(message);
      return { providerMessageId: `test-${sent.length}` };
    },
    lastCode() {
      const last = sent.at(-1);
      if (!last) throw new Error("no SMS sent");
      if (last.template.kind !== "otp") throw new Error("the last SMS was not a code");
      return last.template.params.code;
    },
    failNext() {
      fail = true;
    },
  };
}
