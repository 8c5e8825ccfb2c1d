import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { contentSecurityPolicy, createNonce, isForeignPagePost } from "@/lib/security/csp";

const dev = process.env.NODE_ENV === "development";
const allowedOrigins = [process.env.AUTH_URL].filter((v): v is string => Boolean(v));

/**
 * Runs before every page request. Wrapping it in `auth` re-issues the session cookie on each
 * request, which makes the session's maxAge an idle timeout. It decides no access: pages, actions
 * and route handlers check role and ownership themselves.
 */
const withSession = auth((request) => {
  if (isForeignPagePost(request, allowedOrigins)) {
    // Refused before Next.js sees it (its own check answers a foreign Origin with a 500).
    return new NextResponse("403 Forbidden: this form was not sent from a Reclaim page. Go back, reload the page and send it again.\n403 禁止访问：此表单不是从 Reclaim 页面提交的。请返回并刷新页面后重新提交。\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
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
