import { defaultDispatchDeps, startDispatcherLoop } from "../lib/outbox/runner";

/**
 * `npm run worker`: the outbox dispatcher as its own process, for deployments that run it apart
 * from the web servers (or several of them: they never send one row twice at the same time).
 */
async function main() {
  const interval = Number(process.env.DISPATCH_INTERVAL_MS ?? 1000);
  const loop = startDispatcherLoop(() => defaultDispatchDeps(), { intervalMs: interval });
  console.info(`[worker] dispatching every ${interval} ms`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      console.info(`[worker] ${signal}: finishing the current round`);
      void loop.stop().then(() => process.exit(0));
    });
  }
}

void main();
