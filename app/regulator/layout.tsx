import { getTranslations } from "next-intl/server";
import { StaffBar } from "@/components/staff-bar";
import { requireStaff } from "@/lib/auth/guards";

export default async function RegulatorLayout({ children }: { children: React.ReactNode }) {
  const user = await requireStaff("regulator", "admin");
  const t = await getTranslations("staff");
  return (
    <>
      <StaffBar user={user} area={t("regulatorArea")} />
      {children}
    </>
  );
}
