/**
 * The environment of a production build started for a test run (Playwright's web server, the
 * fuzzer, the benches): a seeded sandbox deployment on embedded PGlite, with the dev SMS outbox
 * and test-only secrets. Each caller adds what is its own (a PGlite directory, the partner URL,
 * the test clock, proxy hops).
 */
export function testServerEnv(baseURL: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_SECRET: "test-run-only-secret-not-used-anywhere-else-0123456789",
    AUTH_TRUST_HOST: "true",
    // Production needs the public URL; the SMS's WebOTP line names its host, never a header's.
    AUTH_URL: baseURL,
    PGLITE_DIR: "memory://",
    DATABASE_URL: "",
    POSTGRES_URL: "",
    SEED_DEMO_DATA: "true",
    // A sandbox deployment: the dev SMS outbox (where the tests read codes).
    RECLAIM_SANDBOX: "true",
    // Encrypts reported messages; production (sandboxes too) needs a shared key. Test-only value.
    DATA_ENCRYPTION_KEYS: "cmVjbGFpbS10ZXN0LW9ubHktZGF0YS1rZXktMzJieXQ=",
    SMS_PROVIDER: "dev",
    // A test run: the dev outbox shows every code, and the only production run where
    // RECLAIM_TEST_CLOCK may be set.
    RECLAIM_E2E: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}
