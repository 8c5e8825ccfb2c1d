import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { testServerEnv } from "../../e2e/server-env";

/** Shared by the benches that need the built app: a `next start` on a free loopback port. */
export function haveBuild(): boolean {
  return existsSync(".next/BUILD_ID");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
  });
}

export interface RunningApp {
  base: string;
  /** The `next start` process itself (it serves in-process), e.g. to read its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

/** Starts the production build on embedded PGlite (or `env.DATABASE_URL`), seeded, as a sandbox. */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Spawned directly (not through npx) so the PID held here is the server itself.
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...process.env,
      ...testServerEnv(base, {
        // Benches model a deployment behind one proxy: each simulated client sends its own X-Forwarded-For.
        TRUSTED_PROXY_HOPS: "1",
        ...env,
      }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The server's output is kept (its tail only) to explain a server that dies or never gets ready.
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));

  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the app exited before it was ready (${server.exitCode ?? server.signalCode}):\n${output}`);
    }
    if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) return { base, pid: server.pid!, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the app did not become healthy within 60 s:\n${output}`);
}
