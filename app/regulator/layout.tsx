import { StaffArea } from "@/components/staff-area";
import { requireArea } from "@/lib/auth/guards";

export default async function RegulatorLayout({ children }: { children: React.ReactNode }) {
  const user = await requireArea("regulator");
  return (
    <StaffArea user={user} area="regulatorArea">
      {children}
    </StaffArea>
  );
}
