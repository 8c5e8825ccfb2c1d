"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { OtpSignInError, signIn } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { action } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";
import { authSecret } from "@/lib/auth/secret";
import { authenticateStaff, changeStaffPassword, confirmEnrolment, StaffSignInThrottled } from "@/lib/auth/staff";
import { clientAddress, trustedProxyHops } from "@/lib/client-ip";
import { appClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { clearPending, pendingToken, readPending, setPending, STAGE_PATH } from "../pending";

const schema = z.object({
  email: z.string().trim().pipe(z.email({ message: "staffLogin.errors.email" }).max(254, { message: "staffLogin.errors.email" })),
  password: z.string().min(1, { message: "staffLogin.errors.password" }).max(200, { message: "staffLogin.errors.password" }),
});

/** Step 1, the password: no session yet, only the pending token for the next step. */
export const staffSignIn = action(schema, anyone, async ({ data }) => {
  const { handle } = await prepareDatabase();
  const accepted = await authenticateStaff(handle.db, data.email, data.password, {
    secret: authSecret(),
    now: appClock().now(),
    address: clientAddress(await headers(), trustedProxyHops()),
  }).catch((error: unknown) => {
    if (error instanceof StaffSignInThrottled) throw new AppError("rate_limited:staff_sign_in", { status: 429 });
    throw error;
  });
  if (!accepted) throw new AppError("invalid:staff_credentials", { status: 401 });
  await setPending({ staffId: accepted.id, sessionVersion: accepted.sessionVersion, stage: accepted.next });
  redirect(STAGE_PATH[accepted.next]);
}, { keep: ["email"] });

const newPassword = z
  .object({
    password: z.string().min(12, { message: "staffLogin.errors.newPasswordShort" }).max(200, { message: "staffLogin.errors.newPasswordLong" }),
    confirm: z.string().max(200),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "staffLogin.errors.confirmMismatch" });

/** After a one-time password: a new password of the person's own, then the second factor. */
export const staffChangePassword = action(newPassword, anyone, async ({ data }) => {
  const pending = await readPending("change_password");
  if (!pending) throw new AppError("expired:staff_sign_in", { status: 401 });
  const { handle } = await prepareDatabase();
  const next = await changeStaffPassword(handle.db, pending, data.password);
  await setPending({ staffId: next.id, sessionVersion: next.sessionVersion, stage: next.next });
  redirect(STAGE_PATH[next.next]);
});

const codeSchema = z.object({ code: z.string().trim().min(1, { message: "staffTotp.errors.empty" }).max(40, { message: "staffTotp.errors.wrong" }) });

/** Enrolment: the first code confirms the secret; the recovery codes come back once, to be shown once. */
export const staffConfirmEnrolment = action(codeSchema, anyone, async ({ data }) => {
  const pending = await readPending("enrol");
  if (!pending) throw new AppError("expired:staff_sign_in", { status: 401 });
  const { handle } = await prepareDatabase();
  const codes = await confirmEnrolment(handle.db, pending, data.code, { secret: authSecret(), now: appClock().now() });
  await setPending({ ...pending, stage: "verified" });
  return { ok: true, meta: { recoveryCodes: codes.join(" ") } };
});

/** The last step: the code (or a recovery code), or "I have saved them" after enrolment; then the session. */
async function finishSignIn(code: string | undefined): Promise<never> {
  const pending = await pendingToken();
  if (!pending) throw new AppError("expired:staff_sign_in", { status: 401 });
  try {
    await signIn("staff-totp", { pending, ...(code === undefined ? {} : { code }), redirectTo: "/staff" });
  } catch (err) {
    if (err instanceof OtpSignInError) throw err.refusal;
    // Our own failure inside Auth.js (the database, say) is shown and logged as such, by code only.
    if (err instanceof AuthError) throw err.cause?.err ?? err;
    // Success arrives here too, as Next's redirect: the pending token has done its work.
    await clearPending();
    throw err;
  }
  throw new AppError("expired:staff_sign_in", { status: 401 });
}

export const staffVerifyCode = action(codeSchema, anyone, async ({ data }) => finishSignIn(data.code));

export const staffFinishEnrolment = action(z.object({}), anyone, async () => finishSignIn(undefined));
