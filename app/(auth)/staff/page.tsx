import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/guards";
import { homeFor } from "@/lib/auth/roles";

/** After staff sign-in: each role's own home. */
export default async function StaffHome() {
  const session = await currentSession();
  redirect(session?.kind === "staff" ? homeFor(session.role) : "/staff/login");
}
