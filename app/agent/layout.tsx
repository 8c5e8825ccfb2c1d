import { StaffArea } from "@/components/staff-area";

export default function AgentLayout({ children }: { children: React.ReactNode }) {
  return (
    <StaffArea roles={["agent", "admin"]} area="agentArea">
      {children}
    </StaffArea>
  );
}
