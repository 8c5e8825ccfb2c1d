import { startPartnerServer, UNBIND_RESULTS_PATH } from "./server";

/**
 * `npm run partner` (and `npm run dev`, which starts it alongside the app): the sandbox platforms
 * at SANDBOX_PARTNER_URL's port, 4010 by default. Knobs can be changed while it runs:
 *   curl -X POST localhost:4010/_control/knobs -d '{"slug":"swift-ride","knobs":{"latencyMs":5000}}'
 *
 * Unbind outcomes are reported to RECLAIM_CALLBACK_URL, else to `${RECLAIM_URL}/api/partner/v1/unbind-results`;
 * attestations are verified against RECLAIM_JWKS_URL, else Reclaim's `/.well-known/jwks.json`
 * (and their issuer checked when RECLAIM_ISSUER is set). Without either URL, unbinds are answered 503.
 */
async function main() {
  const fromUrl = process.env.SANDBOX_PARTNER_URL ? new URL(process.env.SANDBOX_PARTNER_URL).port : "";
  const port = Number(process.env.PARTNER_PORT || fromUrl || 4010);
  // `npm run dev` serves the app on localhost:3000; set RECLAIM_URL for anything else.
  const reclaimUrl = (process.env.RECLAIM_URL || "http://localhost:3000").replace(/\/+$/, "");
  const server = await startPartnerServer({
    port,
    host: process.env.PARTNER_HOST ?? "127.0.0.1",
    callbackUrl: process.env.RECLAIM_CALLBACK_URL || (reclaimUrl ? `${reclaimUrl}${UNBIND_RESULTS_PATH}` : undefined),
    issuer: process.env.RECLAIM_ISSUER || undefined,
  });
  console.log(`Sandbox partner platforms listening on ${server.url}`);
  console.log(server.callbackUrl ? `Unbind results go to ${server.callbackUrl}` : "No RECLAIM_URL or RECLAIM_CALLBACK_URL: unbind requests are answered 503");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
}

void main();
