import { z } from "zod";

/** `next dev`'s address, the public URL in development when AUTH_URL is unset. */
export const DEV_PUBLIC_URL = "http://localhost:3000";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .pipe(z.url().optional())
  .optional();

/** How every boolean variable is read: "true" or "1" is on; unset, "", "false" or "0" is off. */
export function flagSet(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .optional();

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform(flagSet);

/**
 * Every variable the service reads, validated once at start-up. `.env.example` documents each one.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalUrl,
    POSTGRES_URL: optionalUrl,
    PGLITE_DIR: z.string().trim().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    AUTH_SECRET: z.string().optional(),
    AUTH_URL: optionalUrl,
    /** Proxies we run in front of the app: 0 = none (the socket's peer), N = the N-th X-Forwarded-For entry from the right. Default 1 on Vercel, else 0. */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
    AUTH_TRUST_HOST: flag,
    SEED_DEMO_DATA: flag,
    SANDBOX_PARTNER_URL: optionalUrl,
    VERCEL: z.string().optional(),
    /** Set by Vercel: the project's production domain (no scheme), e.g. reclaim.vercel.app. */
    VERCEL_PROJECT_PRODUCTION_URL: z.string().trim().optional(),
    /** Set by Vercel: this deployment's own domain (no scheme). */
    VERCEL_URL: z.string().trim().optional(),
    RECLAIM_SANDBOX: flag,
    RECLAIM_TEST_CLOCK: flag,
    /** An end-to-end test run of a production build (Playwright, benches): allows RECLAIM_TEST_CLOCK there. */
    RECLAIM_E2E: flag,
    SMS_PROVIDER: z.enum(["dev", "twilio", "aliyun", "tencent"]).optional(),
    ATTESTATION_PRIVATE_KEYS: z.string().optional(),
    ATTESTATION_ISSUER: z.string().optional(),
    LOOKUP_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).optional(),
    LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
    LOOKUP_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
    /** `off` when only `npm run worker` or the cron route should deliver the outbox. */
    DISPATCHER: z.enum(["in-process", "off"]).default("in-process"),
    CRON_SECRET: z.string().optional(),
    /** One unbind request is abandoned after this (ms, default 10000); a claim is held for DISPATCH_LEASE_MS (default timeout + 20 s). */
    DISPATCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
    DISPATCH_LEASE_MS: z.coerce.number().int().min(200).max(600_000).optional(),
    /**
     * Test runs only (development, or a production build with RECLAIM_E2E): the retry schedule
     * times this factor, so an end-to-end test can watch retries run out in seconds, not days.
     */
    OUTBOX_RETRY_SCALE: z.coerce.number().gt(0).max(1).optional(),
    /** Base64 32-byte AES keys separated by commas; the first encrypts reported messages, all decrypt. */
    DATA_ENCRYPTION_KEYS: z
      .string()
      .refine((v) => v.split(",").every((k) => !k.trim() || Buffer.from(k.trim(), "base64").length === 32), "must be base64 keys of 32 bytes each, separated by commas")
      .optional(),
    /** Set by Vercel Blob: screenshots go there (private) instead of .data/uploads. */
    BLOB_READ_WRITE_TOKEN: z.string().optional(),
    /** Vercel's direct (non-pooled) URL, which migrations use for their advisory lock. */
    POSTGRES_URL_NON_POOLING: optionalUrl,
    /** Where screenshots are kept on local disk (default .data/uploads). */
    UPLOADS_DIR: optionalText,
    // SMS providers (docs/sms-providers.md): checked by the provider chosen, at start-up.
    TWILIO_ACCOUNT_SID: optionalText,
    TWILIO_AUTH_TOKEN: optionalText,
    TWILIO_API_KEY_SID: optionalText,
    TWILIO_API_KEY_SECRET: optionalText,
    TWILIO_FROM: optionalText,
    TWILIO_MESSAGING_SERVICE_SID: optionalText,
    TWILIO_BASE_URL: optionalText,
    ALIYUN_ACCESS_KEY_ID: optionalText,
    ALIYUN_ACCESS_KEY_SECRET: optionalText,
    ALIYUN_SMS_SIGN_NAME: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE_EN: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE_UNBIND: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE_UNBIND_EN: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE_CASE_REPLY: optionalText,
    ALIYUN_SMS_TEMPLATE_CODE_CASE_REPLY_EN: optionalText,
    ALIYUN_SMS_REGION: optionalText,
    ALIYUN_SMS_ENDPOINT: optionalText,
    TENCENT_SECRET_ID: optionalText,
    TENCENT_SECRET_KEY: optionalText,
    TENCENT_SMS_SDK_APP_ID: optionalText,
    TENCENT_SMS_SIGN_NAME: optionalText,
    TENCENT_SMS_TEMPLATE_ID: optionalText,
    TENCENT_SMS_TEMPLATE_ID_EN: optionalText,
    TENCENT_SMS_TEMPLATE_ID_UNBIND: optionalText,
    TENCENT_SMS_TEMPLATE_ID_UNBIND_EN: optionalText,
    TENCENT_SMS_TEMPLATE_ID_CASE_REPLY: optionalText,
    TENCENT_SMS_TEMPLATE_ID_CASE_REPLY_EN: optionalText,
    TENCENT_SMS_REGION: optionalText,
    TENCENT_SMS_ENDPOINT: optionalText,
    /** A case's first staff response is due this many hours after it opens (default 48). */
    CASE_FIRST_RESPONSE_HOURS: z.coerce.number().int().min(1).max(24 * 30).optional(),
    /** A case is due resolved this many days after it opens (default 15, the 12300 complaint rule). */
    CASE_RESOLUTION_DAYS: z.coerce.number().int().min(1).max(365).optional(),
    OTP_ALLOWED_COUNTRIES: z
      .string()
      .regex(/^\s*([A-Za-z]{2}\s*(,\s*[A-Za-z]{2}\s*)*)?$/, "must be ISO country codes separated by commas, e.g. HK,MO")
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required in production and must be at least 32 characters (generate one with `openssl rand -base64 32`)",
      });
    }
    if (!env.SMS_PROVIDER) {
      ctx.addIssue({ code: "custom", path: ["SMS_PROVIDER"], message: "is required in production: twilio, aliyun or tencent (see docs/sms-providers.md)" });
    } else if (env.SMS_PROVIDER === "dev" && !env.RECLAIM_SANDBOX) {
      ctx.addIssue({ code: "custom", path: ["SMS_PROVIDER"], message: "=dev sends no real SMS; in production it needs RECLAIM_SANDBOX=true (a sandbox deployment)" });
    }
    if (!env.ATTESTATION_PRIVATE_KEYS?.trim() && !env.RECLAIM_SANDBOX) {
      ctx.addIssue({
        code: "custom",
        path: ["ATTESTATION_PRIVATE_KEYS"],
        message: "is required in production: a JSON array of private P-256 JWKs that sign unbind attestations (see docs/partner-api.md)",
      });
    }
    // Sandboxes too: instances must share the key that reads what another instance wrote.
    if (!env.DATA_ENCRYPTION_KEYS?.trim()) {
      ctx.addIssue({
        code: "custom",
        path: ["DATA_ENCRYPTION_KEYS"],
        message: "is required in production: the AES-256 key(s) that encrypt reported messages (generate one with `openssl rand -base64 32`)",
      });
    }
    // A movable clock lets anyone who reaches /api/dev/clock stretch code and session lifetimes:
    // never in a real deployment, not even a public sandbox; only a test run that says so.
    if (env.RECLAIM_TEST_CLOCK && (!env.RECLAIM_E2E || !env.RECLAIM_SANDBOX)) {
      ctx.addIssue({
        code: "custom",
        path: ["RECLAIM_TEST_CLOCK"],
        message: "moves the clock for tests; in production it needs RECLAIM_E2E=true (an end-to-end test run) and RECLAIM_SANDBOX=true",
      });
    }
    if (env.OUTBOX_RETRY_SCALE !== undefined && !env.RECLAIM_E2E) {
      ctx.addIssue({ code: "custom", path: ["OUTBOX_RETRY_SCALE"], message: "shortens the outbox's retry schedule for tests; in production it needs RECLAIM_E2E=true (an end-to-end test run)" });
    }
    // The public host names the service in every SMS (the WebOTP line "@host #code") and Auth.js'
    // links. It must come from configuration, never from a request's Host or X-Forwarded-Host,
    // which a client chooses. AUTH_TRUST_HOST no longer replaces it; on Vercel the project's
    // production domain (VERCEL_PROJECT_PRODUCTION_URL) serves when AUTH_URL is unset.
    if (!env.AUTH_URL && !env.VERCEL) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_URL"],
        message: "is required in production, sandboxes included: the public URL of the service, e.g. https://reclaim.example.cn (docs/operations.md)",
      });
    }
  })
  .transform((raw) => {
    const production = raw.NODE_ENV === "production";
    const sandbox = raw.RECLAIM_SANDBOX;
    const lookupDeadlineMs = raw.LOOKUP_DEADLINE_MS ?? 3000;
    return {
      ...raw,
      production,
      /** A sandbox deployment (RECLAIM_SANDBOX): the dev SMS outbox, dev keys, loopback platforms. */
      sandbox,
      /** Development, tests or a sandbox: loopback platforms and dev-only pages are allowed. */
      local: !production || sandbox,
      /** The app's clock can be moved (/api/dev/clock): only in development and tests, or an e2e run of a sandbox build. */
      testClock: raw.RECLAIM_TEST_CLOCK && (!production || (raw.RECLAIM_E2E && sandbox)),
      /**
       * The service's public URL: AUTH_URL; on Vercel the production domain; in development
       * `next dev`'s own address. Production without one is refused above, so links in SMS
       * texts are always absolute.
       */
      publicUrl: raw.AUTH_URL ?? (raw.VERCEL_PROJECT_PRODUCTION_URL ? `https://${raw.VERCEL_PROJECT_PRODUCTION_URL}` : DEV_PUBLIC_URL),
      lookup: {
        /** How long the owner's page waits for platforms before showing what has answered. */
        deadlineMs: lookupDeadlineMs,
        /** How long one platform's answer is waited for in all (never shorter than the deadline). */
        timeoutMs: Math.max(raw.LOOKUP_TIMEOUT_MS ?? 10_000, lookupDeadlineMs),
        /** A new look-up at most this often per owner. */
        minIntervalSeconds: raw.LOOKUP_MIN_INTERVAL_SECONDS ?? 60,
      },
      cases: { firstResponseHours: raw.CASE_FIRST_RESPONSE_HOURS ?? 48, resolutionDays: raw.CASE_RESOLUTION_DAYS ?? 15 },
      dispatch: {
        timeoutMs: raw.DISPATCH_TIMEOUT_MS,
        leaseMs: raw.DISPATCH_LEASE_MS,
        retryScale: !production || raw.RECLAIM_E2E ? (raw.OUTBOX_RETRY_SCALE ?? 1) : 1,
      },
    };
  });

/** The validated environment: every variable, typed, plus the values derived from them once. */
export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`));
}

let cached: Env | undefined;

/**
 * The validated environment of this process (parsed on first use): the one place configuration is
 * read. Nothing else reads process.env (an ESLint rule holds the line; config files, scripts,
 * benches, tests and the sandbox's entry point are exempt).
 */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests that change process.env between cases read it again on the next env(). */
export function forgetEnv(): void {
  cached = undefined;
}
