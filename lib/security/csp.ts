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
 * Every state-changing request to a page route must come from our own pages. Server actions are
 * POSTs to page URLs: with JavaScript they carry a `Next-Action` header, but a form posted without
 * JavaScript (progressive enhancement) carries only its body, so the header cannot be the test.
 * Next.js compares Origin with Host only when an Origin is present; we refuse a missing one too
 * (falling back to Referer, which some privacy settings send instead), because browsers send one
 * on every form and fetch POST and only non-browser clients or forged requests omit both.
 */
export function isForeignPagePost(request: {
  method: string;
  headers: Headers;
  nextUrl: { host: string };
}, allowedOrigins: readonly string[] = []): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return false;
  return isCrossOrigin(request.headers, request.nextUrl.host, allowedOrigins);
}

/**
 * For cookie-authenticated route handlers that change state (e.g. starting a look-up): the same
 * rule as for server actions. A missing or foreign Origin is refused.
 */
export function isCrossOrigin(headers: Headers, fallbackHost: string, allowedOrigins: readonly string[] = []): boolean {
  const origin = headers.get("origin") ?? refererOrigin(headers.get("referer"));
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

function refererOrigin(referer: string | null): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
