import { STAFF_ROLES, type StaffRole } from "@/db/enums";

export type { StaffRole };
export const staffRoles = STAFF_ROLES;
export type Role = StaffRole | "owner";

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  switch (role) {
    case "agent":
    case "admin":
      return "/agent";
    case "regulator":
      return "/regulator";
    case "owner":
      return "/";
  }
}
