import { prepareDatabase } from "@/db/startup";
import { env, EnvError } from "./env";

/** Runs once when a server process starts (instrumentation.ts). */
export async function startServer(): Promise<void> {
  try {
    env();
  } catch (err) {
    if (err instanceof EnvError) {
      // Fail fast with a readable message rather than serving errors later.
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  try {
    const { handle, migrations } = await prepareDatabase();
    console.info(`[db] ${handle.engine} ready, ${migrations} migration(s) applied`);
  } catch (err) {
    // Keep serving: /api/health answers 503 with the reason and the next request retries.
    console.error("[db] not ready:", err instanceof Error ? err.message : err);
  }
}
