import { createDispatcher } from "./engine";
import { outboxKinds, type DispatchDeps } from "./kinds";

/** The engine bound to the registry: what the runners, tests and benches call. */
const dispatcher = createDispatcher(outboxKinds);

export const dispatchOnce = dispatcher.dispatchOnce;
export const drainOutbox = dispatcher.drain;
export type { DispatchDeps };
export type { DispatchSummary } from "./types";
export { MAX_ATTEMPTS, RETRY_DELAYS_MS } from "./retry";
