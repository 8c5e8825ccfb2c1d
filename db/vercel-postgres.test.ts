import { neonConfig } from "@neondatabase/serverless";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, ping, type DatabaseHandle } from "./index";
import { appliedMigrationCount, migrateDatabase } from "./migrate";
import { carriers } from "./schema";
import { isEmpty, seedDatabase } from "./seed";
import { createTestDatabase, type TestDatabase } from "./testing";
import { startWsRelay } from "./testing-ws-relay";

// The POSTGRES_URL path needs a Postgres server behind the relay; CI's second pass provides one.
describe.skipIf(!process.env.DATABASE_URL)("POSTGRES_URL through @vercel/postgres", () => {
  let target: TestDatabase;
  let relay: Awaited<ReturnType<typeof startWsRelay>>;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    target = await createTestDatabase({ migrate: false });
    relay = await startWsRelay();
    neonConfig.wsProxy = (host, port) => `127.0.0.1:${relay.port}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
    // @vercel/postgres accepts a non-Neon host only when it is called "localhost".
    const url = new URL(target.url!);
    url.hostname = "localhost";
    handle = await openDatabase({ postgresUrl: url.toString() });
  });

  afterAll(async () => {
    await handle?.close();
    await relay?.close();
    await target?.dispose();
  });

  it("is chosen when only POSTGRES_URL is set", () => {
    expect(handle.engine).toBe("vercel-postgres");
  });

  it("migrates under the advisory lock, seeds and queries through the WebSocket driver", async () => {
    await ping(handle.db);
    expect(await migrateDatabase(handle)).toBeGreaterThan(0);
    expect(await isEmpty(handle.db)).toBe(true);
    await seedDatabase(handle.db);
    const [mobile] = await handle.db.select().from(carriers).where(eq(carriers.code, "cmcc"));
    expect(mobile?.nameEn).toBe("China Mobile");
    // The same rows are visible over plain TCP: it really is the same Postgres database.
    expect(await appliedMigrationCount(target.db)).toBe(await appliedMigrationCount(handle.db));
    expect(await target.db.$count(carriers)).toBe(3);
  });
});
