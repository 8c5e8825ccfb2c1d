import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { PartnerServer, PartnerServerOptions } from "../../sandbox/partner/types";

export interface PartnerProcess {
  url: string;
  /** The partner's counts, and how many of its answers the error-rate knob made 503s. */
  stats(): Promise<ReturnType<PartnerServer["stats"]> & { errors503: number }>;
  close(): Promise<void>;
}

/**
 * Starts the reference partner server in a child process (tsx), as a platform is another machine:
 * the bench's dispatcher and the partner then each have a Node thread of their own.
 */
export async function startPartnerProcess(options: Omit<PartnerServerOptions, "random"> & { failureRate?: number }): Promise<PartnerProcess> {
  const child: ChildProcess = fork(path.join(__dirname, "partner-child.ts"), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  const ready = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`partner process exited (${code})`)));
    waiting.set(0, (reply) => resolve(reply.url as string));
  });
  child.on("message", (reply: Record<string, unknown>) => {
    const done = waiting.get(reply.id as number);
    waiting.delete(reply.id as number);
    done?.(reply);
  });
  const ask = (type: "stats" | "close") =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, type });
    });
  const url = await ready;
  let closing: Promise<void> | undefined;
  return {
    url,
    async stats() {
      const reply = await ask("stats");
      return { ...(reply.stats as ReturnType<PartnerServer["stats"]>), errors503: reply.errors503 as number };
    },
    close() {
      // Idempotent, like the in-process server's close().
      closing ??= (async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        await ask("close");
        await exited;
      })();
      return closing;
    },
  };
}
