import { prepareDatabase } from "@/db/startup";
import { testClockEnabled } from "./clock";
import { installClockScopes } from "./clock-scope";
import { env, EnvError } from "./env";
import { logServerError } from "./errors";
import { stampPeerAddress } from "./peer-address";
import { signingKeys } from "./platforms/keys";
import { smsProvider } from "./sms";

/** Runs once when a server process starts (instrumentation.ts). */
export async function startServer(): Promise<void> {
  // Before the first request: the client address the rate limits use (lib/client-ip.ts).
  stampPeerAddress();
  // Test runs only: a browser's time travel stays with that browser (lib/clock-scope.ts).
  if (testClockEnabled()) installClockScopes();
  try {
    env();
    // A missing or half-configured SMS provider would fail every sign-in: refuse to start instead.
    const sms = smsProvider().name;
    console.info(`[sms] provider: ${sms}`);
    // Template providers need a second approved template for "your unbind request is complete".
    if ((sms === "aliyun" && !env().ALIYUN_SMS_TEMPLATE_CODE_UNBIND) || (sms === "tencent" && !env().TENCENT_SMS_TEMPLATE_ID_UNBIND)) {
      console.warn(`[sms] no "unbind complete" template for ${sms}: owners will not be texted when a batch completes (docs/unbind.md)`);
    }
    // Malformed attestation keys would fail every unbind request later: check them now.
    console.info(`[attestation] ${(await signingKeys()).length} signing key(s)`);
  } catch (err) {
    // Fail fast with a readable message rather than serving errors later.
    console.error(err instanceof EnvError ? err.message : `Invalid configuration: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }

  try {
    const { handle, migrations } = await prepareDatabase();
    console.info(`[db] ${handle.engine} ready, ${migrations} migration(s) applied`);
    // Self-hosted: deliver the outbox from this process too (Vercel uses the cron route instead).
    if (env().DISPATCHER === "in-process" && !env().VERCEL) {
      const { defaultDispatchDeps, startDispatcherLoop } = await import("./outbox/runner");
      startDispatcherLoop(() => defaultDispatchDeps());
      console.info("[dispatcher] in-process loop started");
    }
  } catch (err) {
    // Keep serving: /api/health answers 503 with the reason and the next request retries.
    // A database error by its code only (a failed query's message would carry its parameters).
    logServerError("db not ready", err);
  }
}
