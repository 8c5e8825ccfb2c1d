import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { contentSecurityPolicy, createNonce, isForeignActionRequest } from "@/lib/security/csp";

const dev = process.env.NODE_ENV === "development";
const allowedOrigins = [process.env.AUTH_URL].filter((v): v is string => Boolean(v));

/**
 * Runs before every page request. Wrapping it in `auth` re-issues the session cookie on each
 * request, which makes the session's maxAge an idle timeout. It decides no access: pages, actions
 * and route handlers check role and ownership themselves.
 */
const withSession = auth((request) => {
  if (isForeignActionRequest(request, allowedOrigins)) {
    return new NextResponse("Forbidden: cross-origin or origin-less action request", { status: 403 });
  }

  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { dev });
  // Next reads the nonce from the request's CSP header and stamps its own scripts with it.
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
});

export async function proxy(request: NextRequest) {
  // With a lazily built Auth.js config, `auth(handler)` resolves to the handler asynchronously.
  const handler = await withSession;
  return handler(request, { params: Promise.resolve({}) });
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
