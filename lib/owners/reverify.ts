import "server-only";
import { getLocale } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { otpDeps } from "@/lib/otp/deps";
import { ensureDeviceId } from "@/lib/otp/device-cookie";
import { sendRefusal } from "@/lib/otp/refusal";
import { requestCode, verifyCode } from "@/lib/otp/service";
import { requestInfo } from "@/lib/request";

/**
 * Re-verification of a signed-in owner by a fresh SMS code (the OTP service's `reverify`
 * purpose), shared by every step that asks for it: sending before an unbind batch and before an
 * erasure. Throws the translated refusal when no code may be sent; returns the challenge id.
 */
export async function sendReverifyCode(number: string): Promise<string> {
  const request = await requestInfo();
  const locale = await getLocale();
  const result = await requestCode(await otpDeps(request.host), {
    number,
    purpose: "reverify",
    locale: isLocale(locale) ? locale : "zh-CN",
    ip: request.ip,
    device: await ensureDeviceId(request.https),
  });
  if (!result.ok) throw sendRefusal(result);
  return result.challengeId;
}

/** Checks a re-verification code from this request; the caller compares the number and words the refusal. */
export async function checkReverifyCode(input: { challengeId: string; code: string }) {
  const request = await requestInfo();
  const deps = await otpDeps(request.host);
  const source = { ip: request.ip, device: await ensureDeviceId(request.https) };
  return { deps, result: await verifyCode(deps, { ...input, purpose: "reverify", source }) };
}
