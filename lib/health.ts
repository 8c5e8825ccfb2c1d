import { and, count, eq, lte, min } from "drizzle-orm";
import { ping, type Db } from "@/db";
import { appliedMigrationCount } from "@/db/migrate";
import type { DatabaseState } from "@/db/startup";
import { outbox } from "@/db/schema";
import { logServerError } from "@/lib/errors";

export type HealthBody =
  | { status: "ok"; db: "pglite" | "postgres"; migrations: number }
  | { status: "unavailable"; reason: "database_unreachable" };

class HealthTimeout extends Error {
  constructor() {
    super("the database did not answer in time");
    this.name = "HealthTimeout";
  }
}

/**
 * 200 when the database answers a query, 503 with a reason when it does not (or not within
 * `timeoutMs`). Every call asks the database again, so the answer is 503 while it is away and 200
 * as soon as it is back: the pool replaces dead connections (db/index.ts) and a failed start-up is
 * retried (db/startup.ts), no restart needed.
 */
export async function healthReport(
  ready: () => Promise<DatabaseState>,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<{ httpStatus: 200 | 503; body: HealthBody }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthTimeout()), timeoutMs);
  });
  try {
    const check = (async () => {
      const { handle } = await ready();
      await ping(handle.db);
      const migrations = await appliedMigrationCount(handle.db);
      return { db: handle.engine === "pglite" ? ("pglite" as const) : ("postgres" as const), migrations };
    })();
    check.catch(() => {}); // a check that loses the race must not become an unhandled rejection
    const { db, migrations } = await Promise.race([check, deadline]);
    return { httpStatus: 200, body: { status: "ok", db, migrations } };
  } catch (err) {
    // Logged for operators by code only (lib/errors.ts): no connection string, no query text.
    logServerError("health", err);
    return { httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A row due this long ago and still not delivered means no dispatcher is getting to it: each
 * polls every 2 seconds and a send times out within seconds (lib/outbox/runner.ts).
 */
export const DISPATCH_OVERDUE_MS = 5 * 60_000;

export interface DispatcherBacklog {
  /** Messages not yet delivered, whether due now or waiting for a retry. */
  waiting: number;
  /** When the oldest of them was written; null when nothing waits. */
  oldestSince: Date | null;
  /** Of those, how many have been due for longer than DISPATCH_OVERDUE_MS. */
  overdue: number;
  /** "behind" when any is overdue: the dispatcher is not running, or not keeping up. */
  state: "ok" | "behind";
}

/**
 * The outbox's backlog for the public status page: counts and one time, never a row's content,
 * receiver or number.
 */
export async function dispatcherBacklog(db: Db, now: Date): Promise<DispatcherBacklog> {
  const overdueBefore = new Date(now.getTime() - DISPATCH_OVERDUE_MS);
  const [[all], [late]] = await Promise.all([
    db.select({ waiting: count(), oldestSince: min(outbox.createdAt) }).from(outbox).where(eq(outbox.status, "pending")),
    db.select({ overdue: count() }).from(outbox).where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, overdueBefore))),
  ]);
  const overdue = Number(late?.overdue ?? 0);
  return {
    waiting: Number(all?.waiting ?? 0),
    oldestSince: all?.oldestSince ? new Date(all.oldestSince) : null,
    overdue,
    state: overdue > 0 ? "behind" : "ok",
  };
}
