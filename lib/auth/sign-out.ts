import "server-only";
import { auth, signOut } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { recordAudit } from "@/lib/audit";
import { appClock } from "@/lib/clock";
import { SESSION_ABSOLUTE_MS } from "./session-policy";
import { revokeSession, signOutEverywhere } from "./sessions";

/**
 * Signs out for good: the session id goes on the revocation list before Auth.js clears the cookie,
 * so a copy of the cookie taken earlier is refused too. The row is kept until the session would
 * have reached its absolute limit anyway.
 */
export async function endSession(redirectTo: string): Promise<void> {
  const session = await auth();
  if (session?.sessionId) {
    const { handle } = await prepareDatabase();
    await revokeSession(handle.db, session.sessionId, new Date(appClock().now().getTime() + SESSION_ABSOLUTE_MS));
  }
  await signOut({ redirectTo });
}

/** Ends every session of the signed-in account (this one included) and clears this cookie. */
export async function endAllSessions(redirectTo: string): Promise<void> {
  const user = (await auth())?.user;
  if (user?.id && user.role) {
    const { handle } = await prepareDatabase();
    await signOutEverywhere(handle.db, { role: user.role, userId: user.id });
    await recordAudit(handle.db, {
      actorType: user.role === "owner" ? "owner" : "staff",
      actorId: user.id,
      action: "session.signed_out_everywhere",
    });
  }
  await signOut({ redirectTo });
}
