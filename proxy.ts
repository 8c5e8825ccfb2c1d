import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { REQUEST_PATH_HEADER } from "@/lib/auth/return-to";
import { env } from "@/lib/env";
import { decodablePath, judgePageRequest } from "@/lib/http/page-guard";
import { contentSecurityPolicy, createNonce, isForeignPagePost } from "@/lib/security/csp";

const allowedOrigins = () => [env().AUTH_URL].filter((v): v is string => Boolean(v));

/**
 * Runs before every page request. Wrapping it in `auth` re-issues the session cookie on each
 * request, which makes the session's maxAge an idle timeout. It decides no access: pages, actions
 * and route handlers check role and ownership themselves.
 */
const withSession = auth(async (request) => {
  if (isForeignPagePost(request, allowedOrigins())) {
    // Refused before Next.js sees it (its own check answers a foreign Origin with a 500).
    return refusal(403, "403 Forbidden: this form was not sent from a Reclaim page. Go back, reload the page and send it again.\n403 禁止访问：此表单不是从 Reclaim 页面提交的。请返回并刷新页面后重新提交。\n");
  }
  // A body React's decoder would fail on (a 500 from Next.js) is refused here, in words.
  const refused = await judgePageRequest(request);
  if (refused?.status === 413) {
    return refusal(413, "413 Payload Too Large: this form is larger than Reclaim accepts (16 MB). Remove a file or shorten the text and send it again.\n413 内容过大：此表单超过 Reclaim 可接收的大小（16 MB）。请删除文件或缩短文字后重新提交。\n");
  }
  if (refused) {
    return refusal(400, "400 Bad Request: this form could not be read. Reload the page and send it again.\n400 请求无效：无法读取此表单。请刷新页面后重新提交。\n");
  }

  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { dev: env().NODE_ENV === "development" });
  // Next reads the nonce from the request's CSP header and stamps its own scripts with it.
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  // For the sign-in redirect of a guard (lib/auth/guards.ts): the page to come back to.
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
});

function refusal(status: number, text: string) {
  return new NextResponse(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export async function proxy(request: NextRequest) {
  // Next.js answers a bad escape in a dynamic segment (`/reports/%zz`) with a bare 500.
  if (!decodablePath(request.nextUrl.pathname)) {
    return refusal(400, "400 Bad Request: this address is not valid. Check the link, or start again from the home page.\n400 请求无效：此网址无效。请检查链接，或从首页重新开始。\n");
  }
  // API routes reach the proxy only for that check (see the matcher); they read their own bodies.
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  // With a lazily built Auth.js config, `auth(handler)` resolves to the handler asynchronously.
  const handler = await withSession;
  return handler(request, { params: Promise.resolve({}) });
}

export const config = {
  matcher: [
    // API paths with an escape in them, for the path check alone: matching every API path would
    // have Next.js copy each API body for the proxy, past the route handlers' own caps.
    "/api/:path(.*%.*)",
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
