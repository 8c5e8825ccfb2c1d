import type { Platform } from "@/db/schema";
import { callPartner } from "@/lib/platforms/client";
import type { EgressPolicy } from "@/lib/platforms/egress";
import { partnerEndpoint } from "@/lib/platforms/lookup";
import { verdictOf, type Verdict } from "./retry";
import { DEFAULT_TIMEOUT_MS, type OutboxDeps } from "./types";

/** What a kind that posts to a platform needs besides the engine's own collaborators. */
export interface PlatformDeps extends OutboxDeps {
  policy?: EgressPolicy;
  /** SANDBOX_PARTNER_URL, for sandbox platforms (lib/platforms/lookup.ts). */
  env?: Record<string, string | undefined>;
}

/**
 * One signed POST to a platform (lib/platforms/client.ts) under `webhook-id` = `id`, the
 * platform's idempotency key, judged by the shared rules (lib/outbox/retry.ts).
 */
export async function postToPlatform(
  platform: Pick<Platform, "slug" | "baseUrl" | "sandbox" | "signingSecrets">,
  path: string,
  payload: unknown,
  { id, attempts, deps }: { id: string; attempts: number; deps: PlatformDeps },
): Promise<Verdict> {
  const result = await callPartner(partnerEndpoint(platform, deps.env), path, payload, { id, timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS, policy: deps.policy });
  return verdictOf(result, attempts);
}
