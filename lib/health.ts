import { ping } from "@/db";
import { appliedMigrationCount } from "@/db/migrate";
import type { DatabaseState } from "@/db/startup";

export type HealthBody =
  | { status: "ok"; db: "pglite" | "postgres"; migrations: number }
  | { status: "unavailable"; reason: "database_unreachable" };

/** 200 when the database answers a query, 503 with a reason when it does not. */
export async function healthReport(
  ready: () => Promise<DatabaseState>,
): Promise<{ httpStatus: 200 | 503; body: HealthBody }> {
  try {
    const { handle } = await ready();
    await ping(handle.db);
    const migrations = await appliedMigrationCount(handle.db);
    return { httpStatus: 200, body: { status: "ok", db: handle.engine === "pglite" ? "pglite" : "postgres", migrations } };
  } catch (err) {
    // Logged for operators without connection strings; the answer names only the failure class.
    console.error("[health] database unreachable:", err instanceof Error ? err.message : err);
    return { httpStatus: 503, body: { status: "unavailable", reason: "database_unreachable" } };
  }
}
