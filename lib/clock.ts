import { advanceScope, currentClockScope, scopedOffsetMs } from "./clock-scope";
import { env, type Env } from "./env";

/** The one seam for time: domain code takes a Clock, tests pass a fake one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export function fakeClock(start: Date | string = "2026-11-28T08:00:00Z"): Clock & { advance(ms: number): void; set(at: Date): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(at) {
      current = at.getTime();
    },
  };
}

const globalForClock = globalThis as unknown as { __reclaimClockOffsetMs?: number };

/**
 * End-to-end tests cannot wait ten minutes for a code to expire. With RECLAIM_TEST_CLOCK=true (or 1,
 * read as lib/env.ts reads every flag) the app's clock can be moved forward through /api/dev/clock;
 * otherwise it is the system clock. In production it also needs RECLAIM_E2E=true: lib/env.ts refuses
 * to start otherwise, and this check holds even if validation were skipped.
 */
export function testClockEnabled(config: Pick<Env, "testClock"> = env()): boolean {
  return config.testClock;
}

/** With the test clock: the server's offset, plus the current browser's own (lib/clock-scope.ts). */
export function appClock(): Clock {
  if (!testClockEnabled()) return systemClock;
  return { now: () => new Date(Date.now() + (globalForClock.__reclaimClockOffsetMs ?? 0) + scopedOffsetMs()) };
}

/**
 * Moves the caller's clock forward: the scope of the request being served when it carries one
 * (only that browser's time moves), else the whole server's. Answers the offset moved, and which.
 */
export function advanceTestClock(ms: number): { offsetMs: number; scope: "browser" | "server" } {
  const scope = currentClockScope();
  if (scope) return { offsetMs: advanceScope(scope, ms), scope: "browser" };
  globalForClock.__reclaimClockOffsetMs = (globalForClock.__reclaimClockOffsetMs ?? 0) + ms;
  return { offsetMs: globalForClock.__reclaimClockOffsetMs, scope: "server" };
}
