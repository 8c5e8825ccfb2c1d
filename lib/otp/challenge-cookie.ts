import "server-only";
import { cookies } from "next/headers";
import { OTP_POLICY } from "./config";

/** Which challenge the code step belongs to: an id only, never the number or the code. */
const NAME = "reclaim_otp";

export async function rememberChallenge(challengeId: string, https: boolean) {
  (await cookies()).set(NAME, challengeId, {
    httpOnly: true,
    sameSite: "lax",
    secure: https,
    path: "/login",
    maxAge: OTP_POLICY.ttlMs / 1000 + 5 * 60,
  });
}

export async function currentChallengeId(): Promise<string | undefined> {
  const value = (await cookies()).get(NAME)?.value;
  // A tampered cookie is treated as no cookie, never passed to the database.
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : undefined;
}

export async function forgetChallenge() {
  (await cookies()).delete({ name: NAME, path: "/login" });
}
