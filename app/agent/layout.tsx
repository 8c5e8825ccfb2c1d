import { getTranslations } from "next-intl/server";
import { StaffBar } from "@/components/staff-bar";
import { requireStaff } from "@/lib/auth/guards";

export default async function AgentLayout({ children }: { children: React.ReactNode }) {
  const user = await requireStaff("agent", "admin");
  const t = await getTranslations("staff");
  return (
    <>
      <StaffBar user={user} area={t("agentArea")} />
      {children}
    </>
  );
}
