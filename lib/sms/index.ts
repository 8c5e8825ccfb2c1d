import type { Db } from "@/db";
import { prepareDatabase } from "@/db/startup";
import { aliyunConfigFromEnv, createAliyunProvider } from "./aliyun";
import { createDevProvider } from "./dev";
import { createTencentProvider, tencentConfigFromEnv } from "./tencent";
import { createTwilioProvider, twilioConfigFromEnv } from "./twilio";
import type { SmsProvider } from "./types";
import { env, type Env } from "@/lib/env";

export type SmsProviderName = SmsProvider["name"];

/** What choosing a provider reads: SMS_PROVIDER, production and sandbox, and the chosen provider's own variables. */
type SmsEnv = Pick<Env, "SMS_PROVIDER" | "production" | "sandbox"> & Readonly<Record<string, unknown>>;

/** `SMS_PROVIDER`, or the development outbox when unset outside production. */
export function smsProviderName(config: Pick<Env, "SMS_PROVIDER" | "production"> = env()): SmsProviderName | undefined {
  if (config.SMS_PROVIDER) return config.SMS_PROVIDER;
  return config.production ? undefined : "dev";
}

/**
 * The provider chosen by the environment. Throws a readable error when it is missing or
 * misconfigured; the server calls this at start-up so that happens before the first request.
 */
export function createSmsProvider(config: SmsEnv, db: () => Promise<Db>): SmsProvider {
  const name = smsProviderName(config);
  switch (name) {
    case "dev":
      if (config.production && !config.sandbox) {
        throw new Error("SMS_PROVIDER=dev is only allowed in production for a sandbox deployment (RECLAIM_SANDBOX=true): codes would never reach a phone.");
      }
      return createDevProvider(db, console.info, { showText: !config.production });
    case "twilio":
      return createTwilioProvider(twilioConfigFromEnv(config));
    case "aliyun":
      return createAliyunProvider(aliyunConfigFromEnv(config));
    case "tencent":
      return createTencentProvider(tencentConfigFromEnv(config));
    case undefined:
      throw new Error("SMS_PROVIDER is required in production: twilio, aliyun or tencent (see docs/sms-providers.md).");
    default:
      throw new Error(`SMS_PROVIDER=${String(name)} is not one of dev, twilio, aliyun, tencent.`);
  }
}

const globalForSms = globalThis as unknown as { __reclaimSms?: SmsProvider };

/** This process's provider (one per process, like the database). */
export function smsProvider(): SmsProvider {
  globalForSms.__reclaimSms ??= createSmsProvider(env(), async () => (await prepareDatabase()).handle.db);
  return globalForSms.__reclaimSms;
}

/**
 * The dev-only outbox page and route exist only while the dev provider is the one in use: in
 * development, or in a sandbox deployment (RECLAIM_SANDBOX=true, as the e2e tests run it).
 */
export function devSmsActive(config: Pick<Env, "SMS_PROVIDER" | "production" | "local"> = env()): boolean {
  return smsProviderName(config) === "dev" && config.local;
}

/**
 * Whether the dev outbox shows every message (a developer's own machine, or a test run with
 * RECLAIM_E2E) or, in a public sandbox, only those asked for by the visitor's own browser.
 */
export function devSmsShowsAll(config: Pick<Env, "NODE_ENV" | "RECLAIM_E2E"> = env()): boolean {
  return config.NODE_ENV !== "production" || config.RECLAIM_E2E;
}
