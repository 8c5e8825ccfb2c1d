export const staffRoles = ["agent", "regulator", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];
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
