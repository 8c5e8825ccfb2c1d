import path from "node:path";
import { sql } from "drizzle-orm";
import { configFromEnv, openDatabase, queryRows, type DatabaseHandle, type Db } from "./index";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

// Any constant shared by every instance of the app; two instances starting at once queue on it.
const MIGRATION_LOCK_KEY = 727_001;

export interface MigrateOptions {
  /**
   * A direct (non-pooled) connection string to migrate over instead of the handle's own pool.
   * Defaults to POSTGRES_URL_NON_POOLING (set by Vercel) when the handle is @vercel/postgres.
   */
  directUrl?: string;
}

/**
 * Applies pending drizzle-kit migrations once, under a Postgres advisory lock so that two app
 * instances starting together cannot both run them. Returns the number of applied migrations.
 *
 * The lock is a session lock, taken and released on one dedicated connection. That is sound only on
 * a real session: POSTGRES_URL on Vercel/Neon goes through a transaction-mode pooler (PgBouncer),
 * where consecutive statements of one client may run on different server backends, so lock and
 * unlock can land on different backends (the lock then stays held by a pooled backend and the next
 * deployment's migration waits forever) and the migration's DDL runs unserialised.
 * `pg_advisory_xact_lock` would survive the pooler, but drizzle's migrator opens its own
 * transaction, after creating its bookkeeping table outside of it, so the lock could not cover the
 * whole migration. Migrations are therefore run over the non-pooling URL (POSTGRES_URL_NON_POOLING,
 * which Vercel sets next to POSTGRES_URL): a direct session where the session lock means what it
 * says, through node-postgres like DATABASE_URL, the same path the concurrency test exercises.
 */
export async function migrateDatabase(handle: DatabaseHandle, options: MigrateOptions = {}): Promise<number> {
  const directUrl = options.directUrl ?? (handle.engine === "vercel-postgres" ? configFromEnv().postgresUrlNonPooling : undefined);
  if (directUrl) {
    const direct = await openDatabase({ databaseUrl: directUrl });
    try {
      return await migrateLocked(direct);
    } finally {
      await direct.close();
    }
  }
  if (handle.engine === "vercel-postgres") {
    console.warn("[db] POSTGRES_URL_NON_POOLING is not set: migrating over POSTGRES_URL, whose advisory lock holds only if it is a direct (non-pooled) connection");
  }
  return migrateLocked(handle);
}

async function migrateLocked(handle: DatabaseHandle): Promise<number> {
  const migrate = await migratorFor(handle.engine);
  return handle.withConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
    return appliedMigrationCount(db);
  });
}

type Migrate = (db: Db, config: { migrationsFolder: string }) => Promise<void>;

async function migratorFor(engine: DatabaseHandle["engine"]): Promise<Migrate> {
  if (engine === "postgres") return (await import("drizzle-orm/node-postgres/migrator")).migrate as unknown as Migrate;
  if (engine === "vercel-postgres")
    return (await import("drizzle-orm/vercel-postgres/migrator")).migrate as unknown as Migrate;
  return (await import("drizzle-orm/pglite/migrator")).migrate as unknown as Migrate;
}

export async function appliedMigrationCount(db: Db): Promise<number> {
  const [table] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return 0;
  const [row] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
  return Number(row?.count ?? 0);
}
