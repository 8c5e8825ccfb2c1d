import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";

/**
 * Time travel that stays with one browser. End-to-end specs run side by side against one server;
 * a spec that moves the test clock an hour forward (to age a sign-in code) must not age every
 * other spec's codes and limits with it. A browser that carries the `reclaim-test-clock` cookie
 * (a random scope name) sees the server's test clock plus its own offset on every request it makes:
 * pages, actions, route handlers and the sign-in, everything that reads `appClock()` while serving
 * it. `POST /api/dev/clock` from that browser moves only its own offset.
 *
 * Work that runs outside a request (the outbox dispatcher loop) keeps the unscoped clock: a spec
 * that travels forward should not then wait on deliveries stamped at its own later time.
 *
 * Installed at start-up only when the test clock is enabled (lib/startup.ts): elsewhere the cookie
 * means nothing. Shared through globalThis because Next.js may load this module more than once.
 */
export const CLOCK_SCOPE_COOKIE = "reclaim-test-clock";

const SCOPE = /^[A-Za-z0-9_-]{8,64}$/;
/** Scopes remembered at most; the oldest are forgotten first (a fuzzer cannot grow memory). */
const MAX_SCOPES = 10_000;

interface Scopes {
  storage: AsyncLocalStorage<string>;
  offsets: Map<string, number>;
  installed?: true;
}

const globalForScopes = globalThis as unknown as { __reclaimClockScopes?: Scopes };

function scopes(): Scopes {
  return (globalForScopes.__reclaimClockScopes ??= { storage: new AsyncLocalStorage<string>(), offsets: new Map() });
}

/** The scope a Cookie header names, if it names a well-formed one. */
export function scopeFromCookieHeader(cookie: string | undefined | null): string | undefined {
  for (const part of (cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CLOCK_SCOPE_COOKIE) {
      const scope = value.join("=");
      return SCOPE.test(scope) ? scope : undefined;
    }
  }
  return undefined;
}

/** Runs every request this process's HTTP servers receive inside the scope its cookie names. */
export function installClockScopes(): void {
  const shared = scopes();
  if (shared.installed) return;
  shared.installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const call = () => (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
    const scope = event === "request" ? scopeFromCookieHeader((args[0] as http.IncomingMessage).headers.cookie) : undefined;
    return scope ? shared.storage.run(scope, call) : call();
  } as typeof emit;
}

/** The scope of the request being served, if it carries one. */
export function currentClockScope(): string | undefined {
  return scopes().storage.getStore();
}

/** The offset of the current request's scope (0 outside a scope). */
export function scopedOffsetMs(): number {
  const scope = currentClockScope();
  return scope ? (scopes().offsets.get(scope) ?? 0) : 0;
}

/** Moves one scope's clock forward; answers its offset now. */
export function advanceScope(scope: string, ms: number): number {
  const { offsets } = scopes();
  const offset = (offsets.get(scope) ?? 0) + ms;
  offsets.delete(scope);
  offsets.set(scope, offset);
  while (offsets.size > MAX_SCOPES) offsets.delete(offsets.keys().next().value!);
  return offset;
}

/** Runs `fn` as if serving a request of `scope` (tests). */
export function runInClockScope<T>(scope: string, fn: () => T): T {
  return scopes().storage.run(scope, fn);
}
