"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, ThrottledStaffLogin } from "@/auth";
import { action } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";

const schema = z.object({
  email: z.string().trim().pipe(z.email({ message: "staffLogin.errors.email" }).max(254, { message: "staffLogin.errors.email" })),
  password: z.string().min(1, { message: "staffLogin.errors.password" }).max(200, { message: "staffLogin.errors.password" }),
});

export const staffSignIn = action(schema, anyone, async ({ data, t }) => {
  try {
    await signIn("staff-password", { ...data, redirectTo: "/staff" });
  } catch (err) {
    // A successful sign-in throws Next's redirect, which must propagate.
    if (err instanceof ThrottledStaffLogin) return { ok: false, message: t("staffLogin.errors.throttled") };
    if (err instanceof AuthError) return { ok: false, message: t("staffLogin.errors.invalid") };
    throw err;
  }
  return { ok: true };
}, { keep: ["email"] });
