"use server";

import { endSession } from "./sign-out";

/** Ends the session (revoked in the database, cookie cleared by Auth.js) and returns to the staff sign-in. */
export async function staffSignOut(): Promise<void> {
  await endSession("/staff/login");
}
