import type { Db } from "@/db";
import { auditLog, type NewAuditEntry } from "@/db/schema";

/**
 * Appends to the audit log: actor, action, subject by id, time (the database's), and for a request
 * made by a person the client's address (`ip`, as `requestInfo()` from lib/request.ts gives it).
 * Subjects are named by id; callers never put phone numbers, codes or message contents in
 * `metadata`, and the address is stored here only, never logged. The table refuses UPDATE, DELETE
 * and TRUNCATE (migration 0009_audit_append_only): an entry, once written, stays as written.
 */
export async function recordAudit(db: Db, entry: Omit<NewAuditEntry, "id" | "at">): Promise<void> {
  await db.insert(auditLog).values(entry);
}
