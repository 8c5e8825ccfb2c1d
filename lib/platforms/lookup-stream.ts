import { and, eq, min } from "drizzle-orm";
import type { Db } from "@/db";
import { lookupResults } from "@/db/schema";
import { systemClock } from "@/lib/clock";
import { lookupConfig, runLookup, type ResultEvent, type RunOptions } from "./lookup";
import { logServerError } from "@/lib/errors";

/** What the owner's browser receives, one JSON object per line (NDJSON). */
export type LookupEvent =
  | { type: "started"; lookupId: string; startedAt: string; platformIds: string[] }
  | ({ type: "result" } & ResultEvent)
  | { type: "deadline"; pending: string[] }
  | { type: "end" };

/**
 * Runs a look-up and streams each platform's answer the moment it is saved. The stream ends when
 * every platform has answered or at the deadline, whichever is first; platforms still out keep
 * being asked in the background (`done`), and the page picks their answers up from
 * GET /api/lookups/[id]. Closing the browser does not stop the look-up.
 */
export function streamLookup(
  db: Db,
  started: { lookupId: string; platformIds: string[]; startedAt: Date },
  options: RunOptions & { /** performance.now() when the owner's request arrived: the deadline counts from it. */ requestStartedMs?: number } = {},
): { stream: ReadableStream<Uint8Array>; done: Promise<void> } {
  const config = options.config ?? lookupConfig();
  const encoder = new TextEncoder();
  const outstanding = new Set(started.platformIds);
  // Both are set by start(), which ReadableStream calls synchronously, before any answer can arrive.
  let push: (event: LookupEvent) => void = () => {};
  let finish: () => void = () => {};

  const done = runLookup(db, started.lookupId, {
    ...options,
    config,
    onResult(event) {
      if (event.status !== "pending") outstanding.delete(event.platformId);
      push({ type: "result", ...event });
      if (outstanding.size === 0) finish();
    },
  })
    .then(() => scheduleRetries(db, started.lookupId, { ...options, config }))
    .catch((error: unknown) => {
      // By code only: messages from the database driver can carry the number.
      logServerError("lookup", error);
    })
    .finally(() => finish());

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (event: LookupEvent) => {
        if (open) controller.enqueue(encoder.encode(JSON.stringify(event) + "\n"));
      };
      const timer = setTimeout(() => {
        if (outstanding.size > 0) write({ type: "deadline", pending: [...outstanding] });
        finish();
      }, Math.max(0, config.deadlineMs - (options.requestStartedMs === undefined ? 0 : performance.now() - options.requestStartedMs)));
      finish = () => {
        if (!open) return;
        clearTimeout(timer);
        write({ type: "end" });
        open = false;
        controller.close();
      };
      push = write;
      write({ type: "started", lookupId: started.lookupId, startedAt: started.startedAt.toISOString(), platformIds: started.platformIds });
      if (started.platformIds.length === 0) finish();
    },
    cancel() {
      push = () => {};
      finish = () => {};
    },
  });
  return { stream, done };
}

const globalForRetries = globalThis as unknown as { __reclaimLookupRetries?: Map<string, NodeJS.Timeout> };

/**
 * Asks the platforms that timed out again when their turn comes, in this process. Where the
 * process does not live that long (serverless), GET /api/lookups/[id] runs whatever is due.
 */
export async function scheduleRetries(db: Db, lookupId: string, options: RunOptions = {}): Promise<void> {
  const clock = options.clock ?? systemClock;
  const [next] = await db
    .select({ at: min(lookupResults.nextAttemptAt) })
    .from(lookupResults)
    .where(and(eq(lookupResults.lookupId, lookupId), eq(lookupResults.status, "pending")));
  if (!next?.at) return;
  const timers = (globalForRetries.__reclaimLookupRetries ??= new Map());
  clearTimeout(timers.get(lookupId));
  const timer = setTimeout(
    () => {
      timers.delete(lookupId);
      void runLookup(db, lookupId, options)
        .then(() => scheduleRetries(db, lookupId, options))
        .catch(() => undefined);
    },
    Math.max(0, new Date(next.at).getTime() - clock.now().getTime()),
  );
  timer.unref();
  timers.set(lookupId, timer);
}

/** Drops this process's pending retry timers (tests, and a process shutting down). */
export function cancelScheduledRetries(): void {
  const timers = globalForRetries.__reclaimLookupRetries;
  if (!timers) return;
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
}
