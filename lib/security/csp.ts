/** Content-Security-Policy for one response; `nonce` is fresh per request. */
export function contentSecurityPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets Next's nonce-stamped bootstrap load its chunks; dev needs eval for HMR.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // A nonce disables 'unsafe-inline', which dev-mode style injection needs.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Server actions are POSTs to page URLs carrying a `Next-Action` header. Next.js only compares
 * Origin with Host when an Origin is present; we also refuse a missing one, because browsers always
 * send it on form and fetch POSTs and only non-browser clients (or forged requests) omit it.
 */
export function isForeignActionRequest(request: {
  method: string;
  headers: Headers;
  nextUrl: { host: string };
}, allowedOrigins: readonly string[] = []): boolean {
  if (request.method !== "POST" || !request.headers.has("next-action")) return false;
  return isCrossOrigin(request.headers, request.nextUrl.host, allowedOrigins);
}

/**
 * For cookie-authenticated route handlers that change state (e.g. starting a look-up): the same
 * rule as for server actions. A missing or foreign Origin is refused.
 */
export function isCrossOrigin(headers: Headers, fallbackHost: string, allowedOrigins: readonly string[] = []): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? fallbackHost;
  if (originHost === host) return false;
  return !allowedOrigins.some((allowed) => {
    try {
      return new URL(allowed).host === originHost;
    } catch {
      return false;
    }
  });
}
