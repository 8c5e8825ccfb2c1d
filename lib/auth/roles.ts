import { STAFF_ROLES, type StaffRole } from "@/db/enums";

export type { StaffRole };
export const staffRoles = STAFF_ROLES;
export type Role = StaffRole | "owner";

/** Roles that work the cases of one carrier only (the account's carrier_id, never null for them). */
export const CARRIER_SCOPED_ROLES = ["agent", "supervisor"] as const satisfies readonly StaffRole[];

export function carrierScoped(role: StaffRole): boolean {
  return (CARRIER_SCOPED_ROLES as readonly StaffRole[]).includes(role);
}

/**
 * The one role → area policy: which staff roles may enter each staff area, and where each role
 * lands. Layouts guard their area with it (`requireArea`), the sign-in redirect reads the homes
 * from it, and the "not for your account" page (components/not-for-you.tsx) links each role to its
 * own. docs/access.md is this policy written out per page and route.
 */
export const STAFF_AREAS = {
  agent: { path: "/agent", roles: ["agent", "supervisor", "admin"] },
  regulator: { path: "/regulator", roles: ["regulator", "admin"] },
} as const satisfies Record<string, { path: string; roles: readonly StaffRole[] }>;

export type StaffArea = keyof typeof STAFF_AREAS;

/** Each staff role's own area: the first area that admits it. */
const HOME_AREA: Record<StaffRole, StaffArea> = { agent: "agent", supervisor: "agent", regulator: "regulator", admin: "agent" };

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  return role === "owner" ? "/" : STAFF_AREAS[HOME_AREA[role]].path;
}

/** The staff area a path lies in, if any (`/agent/cases/1` → agent). */
export function areaOf(path: string): StaffArea | null {
  for (const [area, { path: root }] of Object.entries(STAFF_AREAS) as [StaffArea, (typeof STAFF_AREAS)[StaffArea]][]) {
    if (path === root || path.startsWith(`${root}/`) || path.startsWith(`${root}?`)) return area;
  }
  return null;
}
