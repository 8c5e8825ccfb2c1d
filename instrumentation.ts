export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;

  const { env, EnvError } = await import("./lib/env");
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

  const { prepareDatabase } = await import("./db/startup");
  try {
    const { handle, migrations } = await prepareDatabase();
    console.info(`[db] ${handle.engine} ready, ${migrations} migration(s) applied`);
  } catch (err) {
    // Keep serving: /api/health reports 503 with the reason and the next request retries.
    console.error("[db] not ready:", err instanceof Error ? err.message : err);
  }
}
