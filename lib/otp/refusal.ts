import { AppError, type AppErrorCode } from "@/lib/errors";
import type { RequestCodeResult, VerifyCodeResult } from "./service";

type Refused<R> = Exclude<R, { ok: true }>;

const SEND_REFUSALS: Record<Refused<RequestCodeResult>["error"], AppErrorCode> = {
  rate_limited: "rate_limited:otp",
  locked: "locked:otp_source",
  number_busy: "busy:number",
  number_locked: "locked:number",
  sms_failed: "unavailable:sms",
};

/**
 * A refused code request as an AppError, the same wherever a code is asked for (sign-in, a new code
 * on the code step, re-verification before unbinding): what happened and when to try again.
 */
export function sendRefusal(result: Refused<RequestCodeResult>, field?: string): AppError {
  const details: Record<string, number> = result.error === "sms_failed" ? {} : { retryAfterSeconds: result.retryAfterSeconds };
  return new AppError(SEND_REFUSALS[result.error], { status: result.error === "sms_failed" ? 503 : 429, details, field });
}

/** A code refused at sign-in as an AppError (a used, superseded or unknown challenge is "stale"). */
export function signInCodeRefusal(result: Refused<VerifyCodeResult>, field?: string): AppError {
  switch (result.error) {
    case "wrong_code":
      return new AppError("wrong_code:otp", { details: { triesLeft: result.triesLeft }, field });
    case "expired":
      return new AppError("expired:otp", { field });
    case "too_many_attempts":
      return new AppError("too_many_attempts:otp", { status: 429, field });
    case "locked":
      return new AppError("locked:otp_verify", { status: 429, details: { retryAfterSeconds: result.retryAfterSeconds }, field });
    case "number_locked":
      return new AppError("locked:number", { status: 429, details: { retryAfterSeconds: result.retryAfterSeconds }, field });
    default:
      return new AppError("stale:otp", { field });
  }
}

/**
 * A code refused before unbinding as an AppError: like sign-in, a wrong code says how many tries
 * are left on it (the challenge's attempt counter, from verifyCode); a code that no longer works
 * (expired, used, replaced by a newer one, unknown) asks for a new one.
 */
export function reverifyCodeRefusal(result: Refused<VerifyCodeResult>, field?: string): AppError {
  switch (result.error) {
    case "wrong_code":
      return new AppError("wrong_code:reverify", { details: { triesLeft: result.triesLeft }, field });
    case "too_many_attempts":
      return new AppError("too_many_attempts:reverify", { status: 429, field });
    case "locked":
    case "number_locked":
      return new AppError("locked:reverify", { status: 429, details: { retryAfterSeconds: result.retryAfterSeconds }, field });
    default:
      return new AppError("expired:reverify", { field });
  }
}
