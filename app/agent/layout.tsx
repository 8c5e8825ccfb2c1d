import { StaffArea } from "@/components/staff-area";
import { requireStaff } from "@/lib/auth/guards";

export default async function AgentLayout({ children }: { children: React.ReactNode }) {
  const user = await requireStaff("agent", "admin");
  return (
    <StaffArea user={user} area="agentArea">
      {children}
    </StaffArea>
  );
}
