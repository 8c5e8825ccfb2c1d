import { env } from "@/lib/env";
import { getDatabase, type DatabaseHandle } from "./index";
import { migrateDatabase } from "./migrate";
import { isEmpty, seedDatabase } from "./seed";
import { demoLoginLines } from "./seed-data";

export interface DatabaseState {
  handle: DatabaseHandle;
  migrations: number;
}

const globalForStartup = globalThis as unknown as { __reclaimDbReady?: Promise<DatabaseState> };

/**
 * Opens the database, applies pending migrations and, in development (or with SEED_DEMO_DATA),
 * seeds an empty database with the sandbox data. Runs once per process; callers share the promise.
 */
export function prepareDatabase(): Promise<DatabaseState> {
  globalForStartup.__reclaimDbReady ??= (async () => {
    const handle = await getDatabase();
    const migrations = await migrateDatabase(handle);
    const config = env();
    if ((config.NODE_ENV === "development" || config.SEED_DEMO_DATA) && (await isEmpty(handle.db))) {
      await seedDatabase(handle.db, { sandboxPartnerUrl: config.SANDBOX_PARTNER_URL });
      console.info(`[db] empty database seeded with sandbox data.\n${demoLoginLines().join("\n")}`);
    }
    return { handle, migrations };
  })().catch((err: unknown) => {
    globalForStartup.__reclaimDbReady = undefined;
    throw err;
  });
  return globalForStartup.__reclaimDbReady;
}
