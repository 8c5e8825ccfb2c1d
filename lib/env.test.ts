import { describe, expect, it } from "vitest";
import { testClockEnabled } from "./clock";
import { EnvError, parseEnv } from "./env";


const KEY = Buffer.alloc(32, 7).toString("base64");
describe("environment", () => {
  it("needs nothing in development", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED_DEMO_DATA).toBe(false);
    expect(env.DATABASE_POOL_MAX).toBe(10);
  });

  it("fails fast in production without AUTH_SECRET, naming the variable and how to fix it", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(EnvError);
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (err) {
      expect((err as Error).message).toMatch(/AUTH_SECRET is required in production/);
      expect((err as Error).message).toMatch(/\.env\.example/);
    }
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: "short" })).toThrow(/at least 32/);
    const secret = "x".repeat(32);
    const base = { NODE_ENV: "production", AUTH_SECRET: secret, SMS_PROVIDER: "aliyun", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: KEY };
    expect(() => parseEnv(base)).toThrow(/AUTH_URL is required in production/);
    expect(parseEnv({ ...base, AUTH_URL: "https://reclaim.example.cn" }).NODE_ENV).toBe("production");
    expect(parseEnv({ ...base, VERCEL: "1" }).NODE_ENV).toBe("production");
  });

  it("needs AUTH_URL in production, sandboxes included: AUTH_TRUST_HOST no longer replaces it", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), SMS_PROVIDER: "aliyun", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: KEY };
    expect(() => parseEnv({ ...base, AUTH_TRUST_HOST: "true" })).toThrow(/AUTH_URL is required in production/);
    const sandbox = { ...base, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" };
    expect(() => parseEnv(sandbox)).toThrow(/AUTH_URL is required in production/);
    expect(() => parseEnv({ ...sandbox, AUTH_TRUST_HOST: "true" })).toThrow(/AUTH_URL is required in production/);
    expect(parseEnv({ ...sandbox, AUTH_URL: "https://sandbox.reclaim.example.cn" }).AUTH_URL).toBe("https://sandbox.reclaim.example.cn");
    // On Vercel the project's production domain stands in (lib/sms-host.ts).
    const vercel = parseEnv({ ...base, VERCEL: "1", VERCEL_PROJECT_PRODUCTION_URL: "reclaim.vercel.app" });
    expect(vercel.VERCEL_PROJECT_PRODUCTION_URL).toBe("reclaim.vercel.app");
    // Development keeps working without it.
    expect(parseEnv({ NODE_ENV: "development" }).AUTH_URL).toBeUndefined();
  });

  it("refuses the test clock in production unless the run says it is an end-to-end test (RECLAIM_E2E)", () => {
    const sandbox = {
      NODE_ENV: "production",
      AUTH_SECRET: "x".repeat(32),
      AUTH_URL: "http://127.0.0.1:3000",
      SMS_PROVIDER: "dev",
      RECLAIM_SANDBOX: "true",
      DATA_ENCRYPTION_KEYS: KEY,
    };
    expect(parseEnv(sandbox).RECLAIM_E2E).toBe(false);
    expect(() => parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "1" })).toThrow(/RECLAIM_TEST_CLOCK .*RECLAIM_E2E=true/);
    expect(() => parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "true" })).toThrow(/RECLAIM_E2E=true/);
    expect(() => parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "true", RECLAIM_E2E: "false" })).toThrow(/RECLAIM_E2E=true/);
    const e2e = parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "true", RECLAIM_E2E: "true" });
    expect(e2e.RECLAIM_TEST_CLOCK).toBe(true);
    expect(e2e.RECLAIM_E2E).toBe(true);
    // Outside production the clock needs no extra flag.
    expect(parseEnv({ NODE_ENV: "development", RECLAIM_TEST_CLOCK: "true" }).RECLAIM_TEST_CLOCK).toBe(true);
  });

  it("takes OUTBOX_RETRY_SCALE only in test runs: development, or a production build with RECLAIM_E2E", () => {
    const sandbox = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "http://127.0.0.1:3000", SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true", DATA_ENCRYPTION_KEYS: KEY };
    expect(parseEnv(sandbox).dispatch.retryScale).toBe(1);
    expect(() => parseEnv({ ...sandbox, OUTBOX_RETRY_SCALE: "0.001" })).toThrow(/OUTBOX_RETRY_SCALE .*RECLAIM_E2E=true/);
    expect(parseEnv({ ...sandbox, OUTBOX_RETRY_SCALE: "0.001", RECLAIM_E2E: "true" }).dispatch.retryScale).toBe(0.001);
    expect(parseEnv({ NODE_ENV: "test", OUTBOX_RETRY_SCALE: "0.5" }).dispatch.retryScale).toBe(0.5);
    expect(() => parseEnv({ NODE_ENV: "test", OUTBOX_RETRY_SCALE: "0" })).toThrow(/OUTBOX_RETRY_SCALE/);
    expect(() => parseEnv({ NODE_ENV: "test", OUTBOX_RETRY_SCALE: "2" })).toThrow(/OUTBOX_RETRY_SCALE/);
  });

  it("enables the test clock exactly when the validated flag is on (true or 1), and never in production without RECLAIM_E2E", () => {
    for (const value of ["true", "1"]) {
      expect(parseEnv({ NODE_ENV: "test", RECLAIM_TEST_CLOCK: value }).RECLAIM_TEST_CLOCK).toBe(true);
      expect(testClockEnabled(parseEnv({ NODE_ENV: "test", RECLAIM_TEST_CLOCK: value }))).toBe(true);
    }
    for (const value of [undefined, "", "0", "false"]) {
      expect(parseEnv({ NODE_ENV: "test", RECLAIM_TEST_CLOCK: value }).RECLAIM_TEST_CLOCK).toBe(false);
      expect(testClockEnabled(parseEnv({ NODE_ENV: "test", RECLAIM_TEST_CLOCK: value }))).toBe(false);
    }
    const sandbox = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "http://127.0.0.1:3000", SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true", DATA_ENCRYPTION_KEYS: KEY };
    expect(testClockEnabled(parseEnv(sandbox))).toBe(false);
    expect(testClockEnabled(parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "true", RECLAIM_E2E: "true" }))).toBe(true);
    expect(testClockEnabled(parseEnv({ ...sandbox, RECLAIM_TEST_CLOCK: "1", RECLAIM_E2E: "1" }))).toBe(true);
  });

  it("derives the typed values code reads: sandbox, local, public URL, look-up and dispatch settings", () => {
    const dev = parseEnv({ NODE_ENV: "development" });
    expect(dev).toMatchObject({ production: false, sandbox: false, local: true, publicUrl: "http://localhost:3000", lookup: { deadlineMs: 3000, timeoutMs: 10_000, minIntervalSeconds: 60 } });
    expect(dev.dispatch).toEqual({ timeoutMs: undefined, leaseMs: undefined, retryScale: 1 });
    // The sandbox flag is read one way everywhere: "true" or "1".
    for (const value of ["true", "1"]) expect(parseEnv({ RECLAIM_SANDBOX: value }).sandbox).toBe(true);
    const tuned = parseEnv({ LOOKUP_DEADLINE_MS: "15000", LOOKUP_TIMEOUT_MS: "5000", LOOKUP_MIN_INTERVAL_SECONDS: "0", DISPATCH_TIMEOUT_MS: "2000" });
    // The timeout is never shorter than the deadline.
    expect(tuned.lookup).toEqual({ deadlineMs: 15_000, timeoutMs: 15_000, minIntervalSeconds: 0 });
    expect(tuned.dispatch.timeoutMs).toBe(2000);
    const prod = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), SMS_PROVIDER: "aliyun", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: KEY };
    expect(parseEnv({ ...prod, AUTH_URL: "https://reclaim.example.cn" })).toMatchObject({ production: true, local: false, publicUrl: "https://reclaim.example.cn" });
    expect(parseEnv({ ...prod, VERCEL: "1", VERCEL_PROJECT_PRODUCTION_URL: "reclaim.vercel.app" }).publicUrl).toBe("https://reclaim.vercel.app");
    expect(parseEnv({ ...prod, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "1", AUTH_URL: "https://s.example.cn" })).toMatchObject({ production: true, sandbox: true, local: true });
  });

  it("needs attestation signing keys in production, except in a sandbox deployment", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "https://reclaim.example.cn", SMS_PROVIDER: "aliyun", DATA_ENCRYPTION_KEYS: KEY };
    expect(() => parseEnv(base)).toThrow(/ATTESTATION_PRIVATE_KEYS is required in production/);
    expect(parseEnv({ ...base, ATTESTATION_PRIVATE_KEYS: '[{"kty":"EC"}]' }).ATTESTATION_PRIVATE_KEYS).toBeDefined();
    expect(parseEnv({ ...base, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" }).RECLAIM_SANDBOX).toBe(true);
  });

  it("needs the data encryption key in production, sandboxes included, as base64 32-byte keys", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "https://reclaim.example.cn", SMS_PROVIDER: "aliyun", ATTESTATION_PRIVATE_KEYS: "[{}]" };
    expect(() => parseEnv(base)).toThrow(/DATA_ENCRYPTION_KEYS is required in production/);
    expect(() => parseEnv({ ...base, DATA_ENCRYPTION_KEYS: "c2hvcnQ=" })).toThrow(/32 bytes/);
    expect(parseEnv({ ...base, DATA_ENCRYPTION_KEYS: `${KEY}, ${KEY}` }).DATA_ENCRYPTION_KEYS).toBeDefined();
    // A sandbox deployment needs it too: its instances share one key.
    expect(() => parseEnv({ ...base, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" })).toThrow(/DATA_ENCRYPTION_KEYS is required/);
  });

  it("refuses to start in production without a real SMS provider", () => {
    const base = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), AUTH_URL: "https://reclaim.example.cn", ATTESTATION_PRIVATE_KEYS: "[{}]", DATA_ENCRYPTION_KEYS: KEY };
    expect(() => parseEnv(base)).toThrow(/SMS_PROVIDER is required in production/);
    expect(() => parseEnv({ ...base, SMS_PROVIDER: "dev" })).toThrow(/RECLAIM_SANDBOX=true/);
    expect(parseEnv({ ...base, SMS_PROVIDER: "dev", RECLAIM_SANDBOX: "true" }).SMS_PROVIDER).toBe("dev");
    expect(() => parseEnv({ ...base, SMS_PROVIDER: "carrier-pigeon" })).toThrow(/SMS_PROVIDER/);
    expect(() => parseEnv({ OTP_ALLOWED_COUNTRIES: "Hong Kong" })).toThrow(/OTP_ALLOWED_COUNTRIES/);
    expect(parseEnv({ OTP_ALLOWED_COUNTRIES: "HK, MO" }).OTP_ALLOWED_COUNTRIES).toBe("HK, MO");
  });

  it("rejects malformed values with one line per problem", () => {
    try {
      parseEnv({ DATABASE_URL: "not a url", DATABASE_POOL_MAX: "0", SEED_DEMO_DATA: "yes" });
      expect.unreachable();
    } catch (err) {
      const problems = (err as EnvError).problems;
      expect(problems.some((p) => p.startsWith("DATABASE_URL"))).toBe(true);
      expect(problems.some((p) => p.startsWith("DATABASE_POOL_MAX"))).toBe(true);
      expect(problems.some((p) => p.startsWith("SEED_DEMO_DATA"))).toBe(true);
    }
  });

  it("treats empty strings as unset and reads boolean flags", () => {
    const env = parseEnv({ DATABASE_URL: "", SEED_DEMO_DATA: "true", AUTH_TRUST_HOST: "1" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED_DEMO_DATA).toBe(true);
    expect(env.AUTH_TRUST_HOST).toBe(true);
  });
});
