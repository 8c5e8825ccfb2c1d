import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/auth/guards";
import type { StaffRole } from "@/lib/auth/roles";
import { StaffBar } from "./staff-bar";

/** Layout body of a staff console: checks the role on the server, then shows who is signed in. */
export async function StaffArea({
  roles,
  area,
  children,
}: {
  roles: StaffRole[];
  area: "agentArea" | "regulatorArea";
  children: React.ReactNode;
}) {
  const user = await requireStaff(...roles);
  const t = await getTranslations("staff");
  return (
    <>
      <StaffBar user={user} area={t(area)} />
      {children}
    </>
  );
}
