import { UNBIND_RESULTS_PATH } from "./protocol";
import type { PartnerServerOptions } from "./types";

/**
 * The one place the reference partner server reads the environment (`npm run partner`, and the
 * e2e and fuzz runs that start `main.ts`). `startPartnerServer` itself takes only its options.
 *
 * Listens on PARTNER_PORT, else SANDBOX_PARTNER_URL's port, else 4010, on PARTNER_HOST (loopback by
 * default). Unbind outcomes are reported to RECLAIM_CALLBACK_URL, else to
 * `${RECLAIM_URL}/api/partner/v1/unbind-results` (RECLAIM_URL defaults to `npm run dev`'s
 * http://localhost:3000); attestations are verified against RECLAIM_JWKS_URL, else Reclaim's
 * `/.well-known/jwks.json`, and their issuer checked when RECLAIM_ISSUER is set.
 */
export function partnerOptionsFromEnv(env: Record<string, string | undefined> = process.env): PartnerServerOptions {
  const fromUrl = env.SANDBOX_PARTNER_URL ? new URL(env.SANDBOX_PARTNER_URL).port : "";
  const reclaimUrl = (env.RECLAIM_URL || "http://localhost:3000").replace(/\/+$/, "");
  return {
    port: Number(env.PARTNER_PORT || fromUrl || 4010),
    host: env.PARTNER_HOST ?? "127.0.0.1",
    callbackUrl: env.RECLAIM_CALLBACK_URL || (reclaimUrl ? `${reclaimUrl}${UNBIND_RESULTS_PATH}` : undefined),
    jwks: env.RECLAIM_JWKS_URL || undefined,
    issuer: env.RECLAIM_ISSUER || undefined,
  };
}
