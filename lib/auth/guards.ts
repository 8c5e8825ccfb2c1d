import "server-only";
import type { Session } from "next-auth";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { homeFor, type StaffRole } from "./roles";
import { staffSessionValid } from "./staff";

export type SessionUser = Session["user"];

/**
 * The one server-side check for staff pages, actions and route handlers. Signed-out visitors go to
 * the staff sign-in; staff of another role go to their own home (never a page they may not see).
 */
export async function requireStaff(...roles: StaffRole[]): Promise<SessionUser> {
  const session = await auth();
  const user = session?.user;
  if (!user?.role || user.role === "owner") redirect("/staff/login");
  // A disabled account, or one whose role changed, loses access now, not when the session ends.
  const { handle } = await prepareDatabase();
  if (!(await staffSessionValid(handle.db, { id: user.id, role: user.role, carrierId: user.carrierId ?? null }))) redirect("/staff/login");
  if (!roles.includes(user.role)) redirect(homeFor(user.role));
  return user;
}

export async function currentUser(): Promise<SessionUser | null> {
  return (await auth())?.user ?? null;
}

/** Owner pages (the number page, look-ups, reports): signed-out visitors go to the SMS sign-in. */
export async function requireOwner(): Promise<SessionUser> {
  const user = (await auth())?.user;
  if (!user || user.role !== "owner") redirect("/login");
  return user;
}
