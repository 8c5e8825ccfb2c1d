import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { agentCases, auditLog, numberTenures, owners, staffUsers, type NewAuditEntry } from "@/db/schema";
import { clientAddress, trustedProxyHops } from "./client-ip";

/**
 * Appends to the audit log: actor, action, subject by id, time (the database's), and for a request
 * made by a person the client's address (`ip`, as `requestInfo()` from lib/request.ts gives it).
 * Subjects are named by id; callers never put phone numbers, codes or message contents in
 * `metadata`, and the address is stored here only, never logged. The table refuses UPDATE, DELETE
 * and TRUNCATE (migration 0009_audit_append_only): an entry, once written, stays as written.
 * The row's carrier (whose supervisors see it, docs/audit.md) is decided in the same INSERT unless
 * the caller names it.
 */
export async function recordAudit(
  db: Db,
  entry: Omit<NewAuditEntry, "id" | "at">,
  { address = requestAddress }: { address?: () => Promise<string | null> } = {},
): Promise<void> {
  // Staff rows carry the address of the request they came from, unless the caller gave one; owners'
  // and the system's rows never do (an owner's address is not theirs to keep: data minimisation).
  const ip = entry.ip !== undefined ? entry.ip : entry.actorType === "staff" ? await address() : null;
  const carrierId = entry.carrierId !== undefined ? entry.carrierId : carrierOf(entry);
  await db.insert(auditLog).values({ ...entry, ip, carrierId });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The carrier a row belongs to, as a subquery of the INSERT: the case's or tenure record's carrier
 * when that is the subject, else the staff actor's carrier, else the carrier of the owner actor's
 * open tenure. Each branch is a primary-key lookup (ids that are no uuid are no row's, and are not
 * cast: a cast would fail the insert); null when none applies (the system's jobs, platforms'
 * answers about items), and then the row is in no carrier's log, only an admin's.
 */
function carrierOf(entry: Omit<NewAuditEntry, "id" | "at">): SQL | null {
  const subject = entry.subjectId && UUID.test(entry.subjectId) ? entry.subjectId : null;
  const actor = entry.actorId && UUID.test(entry.actorId) ? entry.actorId : null;
  const branches: SQL[] = [];
  if (subject && entry.subjectType === "agent_case") branches.push(sql`(select ${agentCases.carrierId} from ${agentCases} where ${agentCases.id} = ${subject})`);
  if (subject && entry.subjectType === "number_tenure") branches.push(sql`(select ${numberTenures.carrierId} from ${numberTenures} where ${numberTenures.id} = ${subject})`);
  if (actor && entry.actorType === "staff") branches.push(sql`(select ${staffUsers.carrierId} from ${staffUsers} where ${staffUsers.id} = ${actor})`);
  if (actor && entry.actorType === "owner") {
    branches.push(sql`(select ${numberTenures.carrierId} from ${owners} join ${numberTenures} on ${numberTenures.number} = ${owners.number} and ${numberTenures.endedAt} is null
      where ${owners.id} = ${actor})`);
  }
  return branches.length ? sql`coalesce(${sql.join(branches, sql`, `)})` : null;
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
