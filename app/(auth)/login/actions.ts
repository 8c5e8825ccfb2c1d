"use server";

import { getLocale } from "next-intl/server";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { OtpSignInError, signIn } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { isLocale } from "@/lib/i18n/config";
import { waitPhrase } from "@/lib/i18n/wait";
import { sendRefusalMessage } from "@/lib/otp/refusal";
import { currentChallengeId, forgetChallenge, rememberChallenge } from "@/lib/otp/challenge-cookie";
import { ensureDeviceId } from "@/lib/otp/device-cookie";
import { normaliseCode } from "@/lib/otp/code";
import { OTP_POLICY, TERMS_VERSION } from "@/lib/otp/config";
import { otpDeps } from "@/lib/otp/deps";
import { challengeById } from "@/lib/otp/queries";
import { requestCode, type OtpPurpose } from "@/lib/otp/service";
import { parseMobile, servedCountries } from "@/lib/phone/parse";
import { requestInfo } from "@/lib/request";
import type { CountryCode } from "libphonenumber-js";

type Translate = Parameters<Parameters<typeof action>[2]>[0]["t"];

const numberSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, { message: "login.errors.number" }),
  number: z.string().trim().min(1, { message: "login.errors.number" }).max(40, { message: "login.errors.invalidNumber" }),
  terms: z.literal("on", { message: "login.errors.terms" }),
});

async function send(number: string, purpose: OtpPurpose, termsVersion?: string) {
  const request = await requestInfo();
  const locale = await getLocale();
  const result = await requestCode(await otpDeps(request.host), {
    number,
    purpose,
    locale: isLocale(locale) ? locale : "zh-CN",
    ip: request.ip,
    device: await ensureDeviceId(request.https),
    termsVersion,
  });
  if (result.ok) await rememberChallenge(result.challengeId, request.https);
  return result;
}

/** Step 1: a number and the terms → a code by SMS → the code step. */
export const sendCode = action(numberSchema, anyone, async ({ data, t }) => {
  const parsed = parseMobile(data.number, data.country as CountryCode, servedCountries(env().OTP_ALLOWED_COUNTRIES));
  if (!parsed.ok) {
    const key = { invalid_number: "invalidNumber", not_mobile: "notMobile", country_not_served: "countryNotServed" } as const;
    const message = t(`login.errors.${key[parsed.error]}`);
    return { ok: false, message, fieldErrors: { number: message } };
  }
  const result = await send(parsed.e164, "sign_in", TERMS_VERSION);
  if (!result.ok) {
    const message = await sendRefusalMessage(result, t);
    return { ok: false, message, fieldErrors: { number: message } };
  }
  redirect("/login/verify");
}, { keep: ["country", "number", "terms"] });

const codeSchema = z.object({
  code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/, { message: "verify.errors.format" })),
});

function codeRefusal(reason: string, t: Translate): Promise<string> | string {
  const [error, detail] = reason.split(":");
  switch (error) {
    case "wrong_code":
      return t("verify.errors.wrong", { triesLeft: Number(detail) });
    case "expired":
      return t("verify.errors.expired");
    case "too_many_attempts":
      return t("verify.errors.tooMany");
    case "locked":
      return waitPhrase(Number(detail) || 3600).then((when) => t("verify.errors.locked", { when }));
    case "number_locked":
      return waitPhrase(Number(detail) || 3600).then((when) => t("login.errors.numberLocked", { when }));
    case "format":
      return t("verify.errors.format");
    default:
      return t("verify.errors.stale");
  }
}

/** Step 2: the code → an owner session (Auth.js, provider "sms-otp") → the number page. */
export const submitCode = action(codeSchema, anyone, async ({ data, t }) => {
  const challengeId = await currentChallengeId();
  if (!challengeId) return { ok: false, message: t("verify.errors.noChallenge"), fieldErrors: { code: t("verify.errors.noChallenge") } };
  try {
    await signIn("sms-otp", { challengeId, code: data.code, redirectTo: "/me" });
  } catch (err) {
    if (err instanceof AuthError) {
      const message = await codeRefusal(err instanceof OtpSignInError ? err.code : "invalid", t);
      return { ok: false, message, fieldErrors: { code: message } };
    }
    // Success arrives here too, as Next's redirect: the code step is over either way.
    await forgetChallenge();
    throw err;
  }
  return { ok: true };
}, { keep: ["code"] });

/** "Send a new code" on the code step: same number and purpose, subject to the same limits. */
export const resendCode = action(z.object({}), anyone, async ({ t }) => {
  const challengeId = await currentChallengeId();
  const { handle } = await prepareDatabase();
  const challenge = await challengeById(handle.db, challengeId);
  if (!challenge) return { ok: false, message: t("verify.errors.noChallenge") };
  const result = await send(challenge.number, challenge.purpose, challenge.termsVersion ?? undefined);
  if (!result.ok) return { ok: false, message: await sendRefusalMessage(result, t) };
  return { ok: true, message: t("verify.resent"), meta: { waitSeconds: String(OTP_POLICY.resendIntervalMs / 1000) } };
});
