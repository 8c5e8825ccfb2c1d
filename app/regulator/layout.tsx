import { StaffArea } from "@/components/staff-area";

export default function RegulatorLayout({ children }: { children: React.ReactNode }) {
  return (
    <StaffArea roles={["regulator", "admin"]} area="regulatorArea">
      {children}
    </StaffArea>
  );
}
