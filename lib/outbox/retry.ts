import { failureLabel, type CallResult } from "@/lib/platforms/client";

/**
 * The retry schedule every kind shares. Retries: network errors, timeouts, 429 (Retry-After
 * honoured) and 5xx, after 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h and 24 h (about three
 * days, ±20 % jitter). Any other 4xx is final; 410 means the endpoint is gone for good.
 */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000, 12 * 3600_000, 24 * 3600_000, 24 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** How long after attempt number `attempts` (1-based) the next one is due. */
export function retryDelayMs(attempts: number, random: () => number, retryAfterSeconds?: number): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  // Retry-After is honoured up to a day: a platform cannot park a request for a year.
  return Math.max(Math.round(base * (0.8 + 0.4 * random())), Math.min(retryAfterSeconds ?? 0, 86_400) * 1000);
}

/** What became of one delivery attempt. */
export type Verdict =
  | { kind: "accepted" }
  | { kind: "gone" }
  | { kind: "retry"; label: string; retryAfterSeconds?: number }
  | { kind: "final"; label: string };

/** How a platform's answer to a delivery is judged; `attempts` decides when retrying stops. */
export function verdictOf(result: CallResult, attempts: number): Verdict {
  // A 2xx is an acknowledgement; its body, if any, is not needed.
  if (result.ok || (result.error === "invalid_json" && (result.status ?? 0) >= 200 && (result.status ?? 0) < 300)) return { kind: "accepted" };
  if (result.error === "http_status" && result.status === 410) return { kind: "gone" };
  const label = failureLabel(result);
  const retryable =
    result.error === "timeout" || result.error === "network" || (result.error === "http_status" && (result.status === 429 || (result.status ?? 0) >= 500));
  if (!retryable) return { kind: "final", label };
  if (attempts >= MAX_ATTEMPTS) return { kind: "final", label: "unreachable" };
  return { kind: "retry", label, retryAfterSeconds: result.retryAfterSeconds };
}
