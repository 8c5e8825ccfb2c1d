import { describe, expect, it } from "vitest";
import { createSmsProvider, devSmsActive, smsProviderName } from "./index";

const noDb = async () => {
  throw new Error("not used");
};

describe("SMS provider selection", () => {
  it("uses the dev outbox by default outside production", () => {
    expect(smsProviderName({ NODE_ENV: "development" })).toBe("dev");
    expect(createSmsProvider({ NODE_ENV: "development" }, noDb).name).toBe("dev");
    expect(devSmsActive({ NODE_ENV: "development" })).toBe(true);
  });

  it("refuses production without a provider, and the dev outbox outside a sandbox", () => {
    expect(() => createSmsProvider({ NODE_ENV: "production" }, noDb)).toThrow(/SMS_PROVIDER is required in production/);
    expect(() => createSmsProvider({ NODE_ENV: "production", SMS_PROVIDER: "dev" }, noDb)).toThrow(/RECLAIM_SANDBOX=true/);
    expect(createSmsProvider({ NODE_ENV: "production", SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" }, noDb).name).toBe("dev");
    expect(devSmsActive({ NODE_ENV: "production", SMS_PROVIDER: "dev" })).toBe(false);
    expect(devSmsActive({ NODE_ENV: "production", SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" })).toBe(true);
  });

  it("builds the configured real provider, naming missing settings", () => {
    expect(() => createSmsProvider({ NODE_ENV: "production", SMS_PROVIDER: "aliyun" }, noDb)).toThrow(/ALIYUN_ACCESS_KEY_ID/);
    const tencent = createSmsProvider(
      {
        NODE_ENV: "production",
        SMS_PROVIDER: "tencent",
        TENCENT_SECRET_ID: "id",
        TENCENT_SECRET_KEY: "key",
        TENCENT_SMS_SDK_APP_ID: "1400000001",
        TENCENT_SMS_SIGN_NAME: "回收号",
        TENCENT_SMS_TEMPLATE_ID: "100001",
      },
      noDb,
    );
    expect(tencent.name).toBe("tencent");
    expect(devSmsActive({ NODE_ENV: "development", SMS_PROVIDER: "tencent" })).toBe(false);
    expect(() => createSmsProvider({ SMS_PROVIDER: "pigeon" }, noDb)).toThrow(/not one of/);
  });
});
