import "server-only";
import type { getTranslations } from "next-intl/server";
import { waitPhrase } from "@/lib/i18n/wait";
import type { RequestCodeResult } from "./service";

type Translate = Awaited<ReturnType<typeof getTranslations>>;

/**
 * A refused code request in words, the same wherever a code is asked for (sign-in, a new code on
 * the code step, re-verification before unbinding): what happened and when to try again.
 */
export async function sendRefusalMessage(result: Exclude<RequestCodeResult, { ok: true }>, t: Translate): Promise<string> {
  switch (result.error) {
    case "rate_limited":
      return t("login.errors.rateLimited", { when: await waitPhrase(result.retryAfterSeconds) });
    case "locked":
      return t("login.errors.locked", { when: await waitPhrase(result.retryAfterSeconds) });
    case "number_busy":
      return t("login.errors.numberBusy", { when: await waitPhrase(result.retryAfterSeconds) });
    case "number_locked":
      return t("login.errors.numberLocked", { when: await waitPhrase(result.retryAfterSeconds) });
    case "sms_failed":
      return t("login.errors.smsFailed");
  }
}
