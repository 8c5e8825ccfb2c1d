import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDatabase, type DatabaseHandle } from "./index";
import { migrateDatabase } from "./migrate";

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database on
 * the Postgres server named by DATABASE_URL (dropped again by `dispose`).
 */
export interface TestDatabase extends DatabaseHandle {
  /** Connection string of the fresh Postgres database; undefined on PGlite. */
  url?: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ pgliteDir: "memory://" });
    if (migrate) await migrateDatabase(handle);
    return { ...handle, dispose: () => handle.close() };
  }

  const name = `reclaim_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  const handle = await openDatabase({ databaseUrl: url });
  if (migrate) await migrateDatabase(handle);
  return {
    ...handle,
    url,
    async dispose() {
      await handle.close();
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
