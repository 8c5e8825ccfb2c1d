import { getTranslations } from "next-intl/server";
import type { StaffSession } from "@/lib/auth/guards";
import { StaffBar } from "./staff-bar";

/** Layout body of a staff console: who is signed in (the layout has checked the role). */
export async function StaffArea({ user, area, children }: { user: StaffSession; area: "agentArea" | "regulatorArea"; children: React.ReactNode }) {
  const t = await getTranslations("staff");
  return (
    <>
      <StaffBar user={user} area={t(area)} />
      {children}
    </>
  );
}
