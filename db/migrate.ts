import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle, type Db } from "./index";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

// Any constant shared by every instance of the app; two instances starting at once queue on it.
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies pending drizzle-kit migrations once, under a Postgres advisory lock so that two app
 * instances starting together cannot both run them. Returns the number of applied migrations.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<number> {
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
