import { ping } from "@/db";
import { appliedMigrationCount } from "@/db/migrate";
import type { DatabaseState } from "@/db/startup";
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
