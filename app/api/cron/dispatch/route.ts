import { timingSafeEqual } from "node:crypto";
import { defaultDispatchDeps, drain } from "@/lib/outbox/runner";
import { route } from "@/lib/http/route";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

function authorized(request: Request): boolean {
  const secret = env().CRON_SECRET;
  if (!secret) return false;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Vercel Cron (vercel.json, every minute): delivers what is due for up to ~50 s. Guarded by
 * CRON_SECRET, which Vercel sends as a bearer token; without it configured the route refuses.
 */
export const GET = route("cron", async (request) => {
  if (!authorized(request)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const summary = await drain(await defaultDispatchDeps(), { budgetMs: 50_000 });
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
