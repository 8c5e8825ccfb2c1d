import { StaffArea } from "@/components/staff-area";
import { requireArea } from "@/lib/auth/guards";

export default async function AgentLayout({ children }: { children: React.ReactNode }) {
  const user = await requireArea("agent");
  return (
    <StaffArea user={user} area="agentArea">
      {children}
    </StaffArea>
  );
}
