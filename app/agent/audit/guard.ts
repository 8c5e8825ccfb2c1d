import "server-only";
import { forbidden } from "next/navigation";
import { requireArea, type StaffSession } from "@/lib/auth/guards";
import type { StaffRole } from "@/lib/auth/roles";

/** Supervisors (their carrier's log) and admins (every carrier's); agents are in the area but not here. */
export const AUDIT_ROLES: readonly StaffRole[] = ["supervisor", "admin"];

/**
 * The audit page's guard (docs/access.md `/agent/audit`): owners, regulators and signed-out
 * visitors are refused as by the agent area; an agent gets the same "not for your account" 403.
 */
export async function requireAuditViewer(): Promise<StaffSession> {
  const user = await requireArea("agent");
  if (!AUDIT_ROLES.includes(user.role)) forbidden();
  return user;
}
