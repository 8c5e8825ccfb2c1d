"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { z } from "zod";
import { signIn, ThrottledStaffLogin } from "@/auth";
import { action } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";

const schema = z.object({
  email: z.string().trim().pipe(z.email({ message: "staffLogin.errors.email" }).max(254, { message: "staffLogin.errors.email" })),
  password: z.string().min(1, { message: "staffLogin.errors.password" }).max(200, { message: "staffLogin.errors.password" }),
});

export const staffSignIn = action(schema, anyone, async ({ data }) => {
  try {
    await signIn("staff-password", { ...data, redirectTo: "/staff" });
  } catch (err) {
    // A successful sign-in throws Next's redirect, which must propagate.
    if (err instanceof ThrottledStaffLogin) throw new AppError("rate_limited:staff_sign_in", { status: 429 });
    if (err instanceof CredentialsSignin) throw new AppError("invalid:staff_credentials", { status: 401 });
    // Our own failure inside Auth.js (the database, say) is shown and logged as such, by code only.
    if (err instanceof AuthError) throw err.cause?.err ?? err;
    throw err;
  }
  return { ok: true };
}, { keep: ["email"] });
