import { mkdirSync } from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { PgPreparedQuery, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { logServerError, toDatabaseError } from "@/lib/errors";
import * as schema from "./schema";
import { env, type Env } from "@/lib/env";

// Every query of every engine runs through PgPreparedQuery.queryWithCache, which wraps a failure in
// drizzle's "Failed query: … params: …" error (owner numbers, code HMACs, platforms' text). This is
// the one place every query passes, so the error is replaced here by a DatabaseError that carries
// the SQLSTATE and nothing else: no log line, error page or error report downstream can leak them.
// db/errors.test.ts proves it on both engines.
function sanitiseQueries(queryClass: typeof PgPreparedQuery): void {
  const prepared = queryClass.prototype as unknown as {
    queryWithCache(...args: unknown[]): Promise<unknown>;
    __reclaimSanitised?: true;
  };
  if (prepared.__reclaimSanitised) return;
  const original = prepared.queryWithCache;
  prepared.queryWithCache = async function (this: unknown, ...args: unknown[]) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  prepared.__reclaimSanitised = true;
}
sanitiseQueries(PgPreparedQuery);

/**
 * Under tsx (`npm run worker`, scripts, benches) this file's static imports load drizzle's CommonJS
 * build while the drivers' `await import()` loads its ES module build: two PgPreparedQuery classes.
 * Each driver loader patches the copy its driver will use too (a no-op where there is one copy).
 */
async function sanitiseDriverCopy(): Promise<void> {
  sanitiseQueries((await import("drizzle-orm/pg-core")).PgPreparedQuery);
}

/**
 * One schema, three ways to reach Postgres:
 * - `DATABASE_URL`: a Postgres server through node-postgres (self-hosted, CI, any managed Postgres);
 * - `POSTGRES_URL`: Vercel Postgres / Neon through `@vercel/postgres` (WebSocket, serverless);
 * - neither: embedded PGlite in `.data/pglite` (or `PGLITE_DIR`, `memory://` for tests).
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle inside `db.transaction((tx) => …)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** For functions that run alone or as part of a caller's transaction. */
export type DbOrTx = Db | Tx;
export type Engine = "pglite" | "postgres" | "vercel-postgres";

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /**
   * Runs `fn` on one dedicated connection (Postgres advisory locks belong to a session, so lock and
   * work must share it). On PGlite there is only one connection anyway.
   */
  withConnection<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  databaseUrl?: string;
  postgresUrl?: string;
  pgliteDir?: string;
  /** node-postgres pool size (DATABASE_POOL_MAX, default 10). */
  poolMax?: number;
  /** Vercel's direct (non-pooled) URL, which migrations use for their advisory lock (db/migrate.ts). */
  postgresUrlNonPooling?: string;
}

const DEFAULT_PGLITE_DIR = ".data/pglite";

/** The database settings of the validated environment (env() from lib/env.ts). */
export function configFromEnv(config: Partial<Pick<Env, "DATABASE_URL" | "POSTGRES_URL" | "PGLITE_DIR" | "DATABASE_POOL_MAX" | "POSTGRES_URL_NON_POOLING">> = env()): DatabaseConfig {
  return {
    databaseUrl: config.DATABASE_URL || undefined,
    postgresUrl: config.POSTGRES_URL || undefined,
    pgliteDir: config.PGLITE_DIR || undefined,
    poolMax: config.DATABASE_POOL_MAX,
    postgresUrlNonPooling: config.POSTGRES_URL_NON_POOLING || undefined,
  };
}

export function engineFor(config: DatabaseConfig): Engine {
  if (config.databaseUrl) return "postgres";
  if (config.postgresUrl) return "vercel-postgres";
  return "pglite";
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  const engine = engineFor(config);
  if (engine === "postgres") return openNodePostgres(config.databaseUrl!, config.poolMax);
  if (engine === "vercel-postgres") return openVercelPostgres(config.postgresUrl!);
  return openPglite(config.pgliteDir ?? DEFAULT_PGLITE_DIR);
}

/** What the two pools (pg's and @vercel/postgres', a port of pg-pool) share and we rely on. */
interface PoolClientLike {
  on(event: "error", listener: (err: unknown) => void): unknown;
  release(err?: Error | boolean): void;
}
interface PoolLike {
  on(event: "error", listener: (err: unknown) => void): unknown;
  on(event: "connect" | "acquire", listener: (client: PoolClientLike) => void): unknown;
  on(event: "release", listener: (err: unknown, client: PoolClientLike) => void): unknown;
  connect(): Promise<PoolClientLike>;
}

/**
 * A connection that dies (server restart, failover, pg_terminate_backend, a pooler recycling it)
 * makes its client emit 'error'; an EventEmitter 'error' without a listener is an uncaughtException
 * that ends the process. pg-pool listens on idle clients only (and re-emits on the pool), so a
 * client checked out by withConnection or a drizzle transaction had no listener between queries.
 * Every client gets one for its whole life; the pool drops a dead client on release and opens a
 * new one for the next query, so the service recovers without a restart. Logged by SQLSTATE or
 * driver code only (lib/errors.ts), never by the driver's message.
 */
function guardPool(pool: PoolLike, engine: Engine): void {
  const held = new WeakSet<object>();
  pool.on("acquire", (client) => held.add(client));
  pool.on("release", (_err, client) => held.delete(client));
  // Idle clients: pg-pool removes the client and re-emits here.
  pool.on("error", (err) => logServerError(`db:${engine}:idle`, toDatabaseError(err)));
  pool.on("connect", (client) => {
    client.on("error", (err) => {
      // The idle case is logged once, by the pool listener above.
      if (held.has(client)) logServerError(`db:${engine}:client`, toDatabaseError(err));
    });
  });
}

/** One dedicated client for `fn`; a client whose connection failed is destroyed, not pooled again. */
async function onOneClient<T>(pool: PoolLike, wrap: (client: PoolClientLike) => Db, fn: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    return await fn(wrap(client));
  } catch (error) {
    broken = toDatabaseError(error).unavailable;
    throw error;
  } finally {
    client.release(broken || undefined);
  }
}

async function openNodePostgres(url: string, poolMax = 10): Promise<DatabaseHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  await sanitiseDriverCopy();
  const pool = new Pool({
    connectionString: url,
    max: poolMax,
    // A server that does not answer (network partition) fails the query in 5 s instead of holding
    // the request, so the health check and routes answer 503 while the database is away.
    connectionTimeoutMillis: 5_000,
  });
  guardPool(pool as unknown as PoolLike, "postgres");
  return {
    db: drizzle({ client: pool, schema }) as unknown as Db,
    engine: "postgres",
    withConnection: (fn) => onOneClient(pool as unknown as PoolLike, (client) => drizzle({ client: client as never, schema }) as unknown as Db, fn),
    close: () => pool.end(),
  };
}

async function openVercelPostgres(url: string): Promise<DatabaseHandle> {
  const { createPool } = await import("@vercel/postgres");
  const { drizzle } = await import("drizzle-orm/vercel-postgres");
  await sanitiseDriverCopy();
  const pool = createPool({ connectionString: url, connectionTimeoutMillis: 5_000 });
  guardPool(pool as unknown as PoolLike, "vercel-postgres");
  return {
    db: drizzle({ client: pool, schema }) as unknown as Db,
    engine: "vercel-postgres",
    withConnection: (fn) => onOneClient(pool as unknown as PoolLike, (client) => drizzle({ client: client as never, schema }) as unknown as Db, fn),
    close: () => pool.end(),
  };
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  await sanitiseDriverCopy();
  const inMemory = dir.startsWith("memory://");
  // PGlite does not create parent folders (STACK-NOTES 4).
  if (!inMemory) mkdirSync(path.resolve(dir), { recursive: true });
  const client = await PGlite.create(inMemory ? dir : path.resolve(dir));
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    engine: "pglite",
    withConnection: (fn) => fn(db),
    close: () => client.close(),
  };
}

// Route handlers and pages are bundled separately; the handle lives on globalThis so that the
// process has exactly one (STACK-NOTES 2). It is opened on first use, never at import time, because
// `next build` imports modules while collecting page data (STACK-NOTES 3).
const globalForDb = globalThis as unknown as { __reclaimDb?: Promise<DatabaseHandle> };

export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.__reclaimDb ??= openDatabase(configFromEnv()).catch((err: unknown) => {
    globalForDb.__reclaimDb = undefined;
    throw err;
  });
  return globalForDb.__reclaimDb;
}

export async function closeDatabase(): Promise<void> {
  const pending = globalForDb.__reclaimDb;
  globalForDb.__reclaimDb = undefined;
  if (pending) await (await pending).close();
}

/**
 * Raw SQL rows. All three drivers answer `execute` with a `{ rows }` result, but drizzle types it per
 * driver; this is the one place that bridges them.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Cheap round trip used by the health check. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

export { schema };
