"use server";

import { signOut } from "@/auth";

/** Ends the session (cookie cleared by Auth.js) and returns to the staff sign-in. */
export async function staffSignOut(): Promise<void> {
  await signOut({ redirectTo: "/staff/login" });
}
