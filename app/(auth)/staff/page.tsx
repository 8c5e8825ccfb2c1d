import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/guards";
import { homeFor } from "@/lib/auth/roles";

/** After staff sign-in: each role's own home. */
export default async function StaffHome() {
  const user = await currentUser();
  redirect(user ? homeFor(user.role) : "/staff/login");
}
