import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { prepareDatabase } from "@/db/startup";
import { authSecret } from "@/lib/auth/secret";
import { pendingStaffUser } from "@/lib/auth/staff";
import { PENDING_COOKIE, PENDING_TTL_S, readPendingToken, signPendingToken, type PendingSignIn, type PendingStage } from "@/lib/auth/staff-pending";
import { appClock } from "@/lib/clock";
import { env } from "@/lib/env";

/** Where each pending step is answered. */
export const STAGE_PATH: Record<Exclude<PendingStage, "verified">, string> = {
  change_password: "/staff/password",
  enrol: "/staff/enrol",
  totp: "/staff/code",
};

export async function setPending(pending: PendingSignIn): Promise<void> {
  const token = await signPendingToken(pending, authSecret(), appClock().now());
  (await cookies()).set(PENDING_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: env().production, path: "/staff", maxAge: PENDING_TTL_S });
}

export async function pendingToken(): Promise<string | undefined> {
  return (await cookies()).get(PENDING_COOKIE)?.value;
}

/** The pending sign-in at this step, or null (missing, expired, tampered with, another step, account changed). */
export async function readPending(stage: PendingStage | PendingStage[]): Promise<PendingSignIn | null> {
  const stages = Array.isArray(stage) ? stage : [stage];
  const pending = await readPendingToken(await pendingToken(), authSecret(), appClock().now());
  if (!pending || !stages.includes(pending.stage)) return null;
  const { handle } = await prepareDatabase();
  return (await pendingStaffUser(handle.db, pending)) ? pending : null;
}

/** For a step page: the pending sign-in, or back to the password with "start again". */
export async function requirePending(stage: PendingStage | PendingStage[]): Promise<PendingSignIn> {
  await headers();
  const pending = await readPending(stage);
  if (!pending) redirect("/staff/login?expired=1");
  return pending;
}

export async function clearPending(): Promise<void> {
  (await cookies()).delete({ name: PENDING_COOKIE, path: "/staff" });
}
