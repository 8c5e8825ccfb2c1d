import type { Db } from "@/db";
import { auditLog, type NewAuditEntry } from "@/db/schema";
import { clientAddress, trustedProxyHops } from "./client-ip";

/**
 * Appends to the audit log: actor, action, subject by id, time (the database's), and for a request
 * made by a person the client's address (`ip`, as `requestInfo()` from lib/request.ts gives it).
 * Subjects are named by id; callers never put phone numbers, codes or message contents in
 * `metadata`, and the address is stored here only, never logged. The table refuses UPDATE, DELETE
 * and TRUNCATE (migration 0009_audit_append_only): an entry, once written, stays as written.
 */
export async function recordAudit(
  db: Db,
  entry: Omit<NewAuditEntry, "id" | "at">,
  { address = requestAddress }: { address?: () => Promise<string | null> } = {},
): Promise<void> {
  // Staff rows carry the address of the request they came from, unless the caller gave one; owners'
  // and the system's rows never do (an owner's address is not theirs to keep: data minimisation).
  const ip = entry.ip !== undefined ? entry.ip : entry.actorType === "staff" ? await address() : null;
  await db.insert(auditLog).values({ ...entry, ip });
}

/** The current request's client address as the limits key it; null outside a request (a script, a job). */
async function requestAddress(): Promise<string | null> {
  try {
    const { headers } = await import("next/headers");
    return clientAddress(await headers(), trustedProxyHops());
  } catch {
    return null;
  }
}
