import { STAFF_ROLES, type StaffRole } from "@/db/enums";

export type { StaffRole };
export const staffRoles = STAFF_ROLES;
export type Role = StaffRole | "owner";

/**
 * The one role → area policy: which staff roles may enter each staff area, and where each role
 * lands. Layouts guard their area with it (`requireArea`), and the sign-in redirect and the
 * "not for your role" redirect read the homes from it.
 */
export const STAFF_AREAS = {
  agent: { path: "/agent", roles: ["agent", "admin"] },
  regulator: { path: "/regulator", roles: ["regulator", "admin"] },
} as const satisfies Record<string, { path: string; roles: readonly StaffRole[] }>;

export type StaffArea = keyof typeof STAFF_AREAS;

/** Each staff role's own area: the first area that admits it. */
const HOME_AREA: Record<StaffRole, StaffArea> = { agent: "agent", regulator: "regulator", admin: "agent" };

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  return role === "owner" ? "/" : STAFF_AREAS[HOME_AREA[role]].path;
}
