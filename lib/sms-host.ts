/**
 * The host named in the SMS's WebOTP line (`@host #code`): a browser offers the code only on that
 * origin, so whoever chooses it can have the owner's code offered on their own site. In production
 * (sandboxes included) it comes from configuration alone: AUTH_URL, or on Vercel the project's
 * production domain; never from Host or X-Forwarded-Host, which a client or a misconfigured proxy
 * sets. lib/env.ts makes production refuse to start without AUTH_URL (unless on Vercel). Development
 * and tests may fall back to the request's Host header.
 */
export interface SmsHostEnv {
  NODE_ENV?: string;
  AUTH_URL?: string;
  VERCEL?: string;
  VERCEL_PROJECT_PRODUCTION_URL?: string;
  VERCEL_URL?: string;
}

export interface HeaderSource {
  get(name: string): string | null;
}

/** Host name without scheme or port, or undefined when `value` is no usable host. */
function hostnameOf(value: string | undefined | null, withScheme: boolean): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  try {
    return new URL(withScheme ? v : `https://${v}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

export function smsHost(env: SmsHostEnv, headers: HeaderSource): string {
  const configured = hostnameOf(env.AUTH_URL, true);
  if (configured) return configured;
  if (env.NODE_ENV === "production") {
    // Only reachable on Vercel: elsewhere production does not start without AUTH_URL.
    return (
      (env.VERCEL ? hostnameOf(env.VERCEL_PROJECT_PRODUCTION_URL, false) ?? hostnameOf(env.VERCEL_URL, false) : undefined) ??
      "localhost"
    );
  }
  return hostnameOf(headers.get("host"), false) ?? "localhost";
}
