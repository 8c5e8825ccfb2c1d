import { prepareDatabase } from "@/db/startup";
import { appClock, systemClock } from "@/lib/clock";
import { smsProvider } from "@/lib/sms";
import { sendSilentReportsToAgents } from "@/lib/reports/status";
import { purgeExpired } from "@/lib/retention";
import { openCasesForSilence } from "@/lib/unbind/silence";
import { drainOutbox, type DispatchDeps, type DispatchSummary } from "./dispatch";
import { env } from "@/lib/env";

/**
 * The three ways the same outbox dispatcher runs: an in-process loop in `npm run dev` / `npm start`
 * (self-hosted), the cron route on Vercel, and `npm run worker`. They can all run at once.
 */

/** Production wiring of the dispatcher's collaborators. */
export async function defaultDispatchDeps(overrides: Partial<DispatchDeps> = {}): Promise<DispatchDeps> {
  return {
    db: (await prepareDatabase()).handle.db,
    // The app's clock: rows are stamped with it (it is the system clock outside tests).
    clock: appClock(),
    sms: smsProvider,
    publicUrl: env().publicUrl,
    timeoutMs: env().dispatch.timeoutMs,
    leaseMs: env().dispatch.leaseMs,
    retryScale: env().dispatch.retryScale,
    ...overrides,
  };
}

let lastHousekeeping = 0;

/** At most once a minute per process: cases for silent platforms, and expired rows purged. */
async function housekeeping(deps: DispatchDeps) {
  if (Date.now() - lastHousekeeping < 60_000) return;
  lastHousekeeping = Date.now();
  const now = (deps.clock ?? systemClock).now();
  await openCasesForSilence(deps.db, now);
  await sendSilentReportsToAgents(deps.db, now);
  await purgeExpired(deps.db, now);
}

/**
 * Delivers until nothing is due or `budgetMs` is spent (lib/outbox/engine.ts: up to `concurrency`
 * rows in flight, settled as each finishes), after the housekeeping.
 */
export async function drain(deps: DispatchDeps, { budgetMs = 50_000, concurrency = 32 } = {}): Promise<DispatchSummary> {
  await housekeeping(deps);
  const { claimed, delivered, retrying, failed } = await drainOutbox(deps, { budgetMs, concurrency });
  return { claimed, delivered, retrying, failed };
}

interface Loop {
  kick(): void;
  stop(): Promise<void>;
}

const globalForLoop = globalThis as unknown as { __reclaimDispatcher?: Loop };

/**
 * A polling loop (every `intervalMs`, and at once when kicked) in this process. Errors are logged
 * by kind only and the loop carries on.
 */
export function startDispatcherLoop(getDeps: () => Promise<DispatchDeps>, { intervalMs = 2000 } = {}): Loop {
  if (globalForLoop.__reclaimDispatcher) return globalForLoop.__reclaimDispatcher;
  let stopped = false;
  let wake: (() => void) | null = null;
  let running: Promise<void> = Promise.resolve();
  const loop = async () => {
    while (!stopped) {
      try {
        await drain(await getDeps(), { budgetMs: 30_000 });
      } catch (error) {
        console.error("[dispatcher] round failed:", (error as { code?: string })?.code ?? (error as Error)?.name);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        timer.unref?.();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  };
  running = loop();
  const handle: Loop = {
    kick: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await running;
      globalForLoop.__reclaimDispatcher = undefined;
    },
  };
  globalForLoop.__reclaimDispatcher = handle;
  return handle;
}

/** Best-effort nudge after a commit: delivery starts now rather than at the next poll. */
export function kickDispatcher(): void {
  globalForLoop.__reclaimDispatcher?.kick();
}
