import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createSmsProvider, devSmsActive, smsProviderName } from "./index";

const noDb = async () => {
  throw new Error("not used");
};

// A production build as lib/env.ts reads it (its own checks pass), with the SMS settings of each case.
const production = (sms: Record<string, string>) =>
  parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "https://r.example.cn", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: Buffer.alloc(32, 1).toString("base64"), ...sms });

describe("SMS provider selection", () => {
  it("uses the dev outbox by default outside production", () => {
    const dev = parseEnv({ NODE_ENV: "development" });
    expect(smsProviderName(dev)).toBe("dev");
    expect(createSmsProvider(dev, noDb).name).toBe("dev");
    expect(devSmsActive(dev)).toBe(true);
  });

  it("refuses production without a provider, and the dev outbox outside a sandbox", () => {
    // lib/env.ts refuses both at start-up; the provider refuses them again on its own.
    expect(() => createSmsProvider({ production: true, sandbox: false, SMS_PROVIDER: undefined }, noDb)).toThrow(/SMS_PROVIDER is required in production/);
    expect(() => createSmsProvider({ production: true, sandbox: false, SMS_PROVIDER: "dev" }, noDb)).toThrow(/RECLAIM_SANDBOX=true/);
    const sandbox = production({ SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" });
    expect(createSmsProvider(sandbox, noDb).name).toBe("dev");
    expect(devSmsActive({ production: true, local: false, SMS_PROVIDER: "dev" })).toBe(false);
    expect(devSmsActive(sandbox)).toBe(true);
  });

  it("builds the configured real provider, naming missing settings", () => {
    expect(() => createSmsProvider(production({ SMS_PROVIDER: "aliyun" }), noDb)).toThrow(/ALIYUN_ACCESS_KEY_ID/);
    const tencent = createSmsProvider(
      production({
        SMS_PROVIDER: "tencent",
        TENCENT_SECRET_ID: "id",
        TENCENT_SECRET_KEY: "key",
        TENCENT_SMS_SDK_APP_ID: "1400000001",
        TENCENT_SMS_SIGN_NAME: "回收号",
        TENCENT_SMS_TEMPLATE_ID: "100001",
      }),
      noDb,
    );
    expect(tencent.name).toBe("tencent");
    expect(devSmsActive(parseEnv({ NODE_ENV: "development", SMS_PROVIDER: "tencent" }))).toBe(false);
    expect(() => createSmsProvider({ production: false, sandbox: false, SMS_PROVIDER: "pigeon" as "dev" }, noDb)).toThrow(/not one of/);
  });
});
