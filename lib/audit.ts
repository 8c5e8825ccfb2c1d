import type { Db } from "@/db";
import { auditLog, type NewAuditEntry } from "@/db/schema";

/**
 * Appends to the audit log. Subjects are named by id; callers never put phone numbers, codes or
 * message contents in `metadata`.
 */
export async function recordAudit(db: Db, entry: Omit<NewAuditEntry, "id" | "at">): Promise<void> {
  await db.insert(auditLog).values(entry);
}
