import type { Db } from "@/db";
import { prepareDatabase } from "@/db/startup";
import { aliyunConfigFromEnv, createAliyunProvider } from "./aliyun";
import { createDevProvider } from "./dev";
import { createTencentProvider, tencentConfigFromEnv } from "./tencent";
import { createTwilioProvider, twilioConfigFromEnv } from "./twilio";
import type { SmsProvider } from "./types";
import { env, type Env } from "@/lib/env";

export type SmsProviderName = SmsProvider["name"];

/** `SMS_PROVIDER`, or the development outbox when unset outside production. */
export function smsProviderName(env: Record<string, string | undefined> = process.env): SmsProviderName | undefined {
  const configured = env.SMS_PROVIDER?.trim();
  if (configured) return configured as SmsProviderName;
  return env.NODE_ENV === "production" ? undefined : "dev";
}

/**
 * The provider chosen by the environment. Throws a readable error when it is missing or
 * misconfigured; the server calls this at start-up so that happens before the first request.
 */
export function createSmsProvider(env: Record<string, string | undefined>, db: () => Promise<Db>): SmsProvider {
  const name = smsProviderName(env);
  switch (name) {
    case "dev":
      if (env.NODE_ENV === "production" && !sandbox(env)) {
        throw new Error("SMS_PROVIDER=dev is only allowed in production for a sandbox deployment (RECLAIM_SANDBOX=true): codes would never reach a phone.");
      }
      return createDevProvider(db);
    case "twilio":
      return createTwilioProvider(twilioConfigFromEnv(env));
    case "aliyun":
      return createAliyunProvider(aliyunConfigFromEnv(env));
    case "tencent":
      return createTencentProvider(tencentConfigFromEnv(env));
    case undefined:
      throw new Error("SMS_PROVIDER is required in production: twilio, aliyun or tencent (see docs/sms-providers.md).");
    default:
      throw new Error(`SMS_PROVIDER=${String(name)} is not one of dev, twilio, aliyun, tencent.`);
  }
}

const globalForSms = globalThis as unknown as { __reclaimSms?: SmsProvider };

/** This process's provider (one per process, like the database). */
export function smsProvider(): SmsProvider {
  globalForSms.__reclaimSms ??= createSmsProvider(process.env, async () => (await prepareDatabase()).handle.db);
  return globalForSms.__reclaimSms;
}

const sandbox = (env: Record<string, string | undefined>) => env.RECLAIM_SANDBOX === "true" || env.RECLAIM_SANDBOX === "1";

/**
 * The dev-only outbox page and route exist only while the dev provider is the one in use: in
 * development, or in a sandbox deployment (RECLAIM_SANDBOX=true, as the e2e tests run it).
 */
export function devSmsActive(env: Record<string, string | undefined> = process.env): boolean {
  return smsProviderName(env) === "dev" && (env.NODE_ENV !== "production" || sandbox(env));
}

/**
 * Whether the dev outbox shows every message (a developer's own machine, or a test run with
 * RECLAIM_E2E) or, in a public sandbox, only those asked for by the visitor's own browser.
 */
export function devSmsShowsAll(config: Pick<Env, "NODE_ENV" | "RECLAIM_E2E"> = env()): boolean {
  return config.NODE_ENV !== "production" || config.RECLAIM_E2E;
}
