import { partnerOptionsFromEnv } from "./env";
import { startPartnerServer } from "./server";

/**
 * `npm run partner` (and `npm run dev`, which starts it alongside the app): the sandbox platforms
 * at SANDBOX_PARTNER_URL's port, 4010 by default (settings: `env.ts`). Knobs can be changed while
 * it runs:
 *   curl -X POST localhost:4010/_control/knobs -d '{"slug":"swift-ride","knobs":{"latencyMs":5000}}'
 * Without a callback URL, unbinds are answered 503.
 */
async function main() {
  const server = await startPartnerServer(partnerOptionsFromEnv());
  console.log(`Sandbox partner platforms listening on ${server.url}`);
  console.log(server.callbackUrl ? `Unbind results go to ${server.callbackUrl}` : "No RECLAIM_URL or RECLAIM_CALLBACK_URL: unbind requests are answered 503");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
}

void main();
