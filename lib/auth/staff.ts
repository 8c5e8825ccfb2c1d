import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { dummyPasswordHash, verifyPassword } from "./password";
import type { StaffRole } from "./roles";

export interface StaffIdentity {
  id: string;
  name: string;
  role: StaffRole;
  carrierId: string | null;
}

/**
 * Email and password check for carrier and regulator staff. Unknown, disabled and wrong-password
 * accounts cost the same time and give the same answer (null), so the form cannot be used to find
 * out who works here.
 */
export async function authenticateStaff(db: Db, email: string, password: string): Promise<StaffIdentity | null> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email.trim().toLowerCase()));
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabledAt) {
    if (user) await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.sign_in_failed" });
    return null;
  }
  await recordAudit(db, { actorType: "staff", actorId: user.id, action: "staff.signed_in" });
  return { id: user.id, name: user.displayName, role: user.role, carrierId: user.carrierId };
}
