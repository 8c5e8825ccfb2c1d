"use server";

import { getLocale } from "next-intl/server";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { OtpSignInError, signIn } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";
import { loginPathFor, returnPathOr } from "@/lib/auth/return-to";
import { env } from "@/lib/env";
import { isLocale } from "@/lib/i18n/config";
import { AppError } from "@/lib/errors";
import { sendRefusal } from "@/lib/otp/refusal";
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

const numberSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, { message: "login.errors.number" }),
  number: z.string().trim().min(1, { message: "login.errors.number" }).max(40, { message: "login.errors.invalidNumber" }),
  terms: z.literal("on", { message: "login.errors.terms" }),
  // The page to come back to after the code (a hidden field): checked again at each step, never trusted.
  next: z.string().optional(),
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
export const sendCode = action(numberSchema, anyone, async ({ data }) => {
  const parsed = parseMobile(data.number, data.country as CountryCode, servedCountries(env().OTP_ALLOWED_COUNTRIES));
  if (!parsed.ok) {
    const code = ({ invalid_number: "invalid:number", not_mobile: "not_mobile:number", country_not_served: "not_served:country" } as const)[parsed.error];
    throw new AppError(code, { field: "number" });
  }
  const result = await send(parsed.e164, "sign_in", TERMS_VERSION);
  if (!result.ok) throw sendRefusal(result, "number");
  redirect(loginPathFor(data.next, "/login/verify"));
}, { keep: ["country", "number", "terms"] });

const codeSchema = z.object({
  code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/, { message: "verify.errors.format" })),
  next: z.string().optional(),
});

/** Step 2: the code → an owner session (Auth.js, provider "sms-otp") → the page asked for, else the number page. */
export const submitCode = action(codeSchema, anyone, async ({ data }) => {
  const challengeId = await currentChallengeId();
  if (!challengeId) throw new AppError("missing:challenge", { field: "code" });
  try {
    await signIn("sms-otp", { challengeId, code: data.code, redirectTo: returnPathOr(data.next) });
  } catch (err) {
    if (err instanceof OtpSignInError) throw err.refusal;
    // Our own failure inside Auth.js (the database, say) is shown and logged as such, by code only.
    if (err instanceof AuthError) throw err.cause?.err ?? new AppError("stale:otp", { field: "code" });
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
  if (!challenge) throw new AppError("missing:challenge");
  const result = await send(challenge.number, challenge.purpose, challenge.termsVersion ?? undefined);
  if (!result.ok) throw sendRefusal(result);
  return { ok: true, message: t("verify.resent"), meta: { waitSeconds: String(OTP_POLICY.resendIntervalMs / 1000) } };
});
