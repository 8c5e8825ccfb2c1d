import { StaffArea } from "@/components/staff-area";
import { requireStaff } from "@/lib/auth/guards";

export default async function RegulatorLayout({ children }: { children: React.ReactNode }) {
  const user = await requireStaff("regulator", "admin");
  return (
    <StaffArea user={user} area="regulatorArea">
      {children}
    </StaffArea>
  );
}
