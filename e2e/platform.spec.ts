import journal from "../db/migrations/meta/_journal.json";
import { expect, test } from "./fixtures";

test.describe("health and security baseline", () => {
  test("health reports the embedded database and the applied migrations", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toContain("no-store");
    expect(await response.json()).toEqual({ status: "ok", db: "pglite", migrations: journal.entries.length });
  });

  test("pages carry a nonce CSP that changes per request, and the security headers", async ({ request, page }) => {
    const [a, b] = await Promise.all([request.get("/"), request.get("/")]);
    const csp = a.headers()["content-security-policy"]!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    const nonce = (h: string) => /'nonce-([^']+)'/.exec(h)?.[1];
    expect(nonce(csp)).not.toEqual(nonce(b.headers()["content-security-policy"]!));
    expect(a.headers()).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "strict-transport-security": expect.stringContaining("max-age="),
    });
    expect(a.headers()["permissions-policy"]).toContain("camera=()");
    expect(a.headers()["x-powered-by"]).toBeUndefined();

    // Every script in the server's HTML carries this response's nonce; chunks loaded later are
    // trusted through 'strict-dynamic'. The page then hydrates with no CSP violation (the fixture
    // fails the test on any) and the client-side router takes over.
    const html = await a.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce(csp)}"`);
    await page.goto("/");
    await page.waitForFunction(() => "next" in window);
  });

  test("server actions refuse requests with a missing or foreign Origin", async ({ request, baseURL }) => {
    const headers = { "next-action": "0000000000000000000000000000000000000000", "content-type": "text/plain;charset=UTF-8" };
    const missing = await request.fetch("/", { method: "POST", headers, data: "[]" });
    expect(missing.status()).toBe(403);
    const foreign = await request.fetch("/", { method: "POST", headers: { ...headers, origin: "https://evil.example" }, data: "[]" });
    expect(foreign.status()).toBe(403);
    const same = await request.fetch("/", { method: "POST", headers: { ...headers, origin: baseURL! }, data: "[]" });
    expect(same.status()).not.toBe(403);
  });
});
