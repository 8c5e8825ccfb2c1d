import { startPartnerServer } from "./server";

/**
 * `npm run partner` (and `npm run dev`, which starts it alongside the app): the sandbox platforms
 * at SANDBOX_PARTNER_URL's port, 4010 by default. Knobs can be changed while it runs:
 *   curl -X POST localhost:4010/_control/knobs -d '{"slug":"swift-ride","knobs":{"latencyMs":5000}}'
 */
async function main() {
  const fromUrl = process.env.SANDBOX_PARTNER_URL ? new URL(process.env.SANDBOX_PARTNER_URL).port : "";
  const port = Number(process.env.PARTNER_PORT || fromUrl || 4010);
  const server = await startPartnerServer({ port, host: process.env.PARTNER_HOST ?? "127.0.0.1" });
  console.log(`Sandbox partner platforms listening on ${server.url}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void server.close().then(() => process.exit(0));
    });
  }
}

void main();
