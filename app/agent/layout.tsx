import { getTranslations } from "next-intl/server";
import { ConsoleNav } from "@/components/console-nav";
import { StaffArea } from "@/components/staff-area";
import { requireArea } from "@/lib/auth/guards";

export default async function AgentLayout({ children }: { children: React.ReactNode }) {
  const user = await requireArea("agent");
  const t = await getTranslations("staff.consoleNav");
  // The audit log is the supervisors' (and admins'); agents are not shown a link they may not follow.
  const items = [
    { href: "/agent", label: t("home") },
    { href: "/agent/numbers", label: t("numbers") },
    ...(user.role === "supervisor" || user.role === "admin" ? [{ href: "/agent/audit", label: t("audit") }] : []),
  ];
  return (
    <StaffArea user={user} area="agentArea">
      <ConsoleNav label={t("label")} items={items} />
      {children}
    </StaffArea>
  );
}
