import { NextResponse } from "next/server";
import { z } from "zod";
import { route } from "@/lib/http/route";
import { advanceTestClock, testClockEnabled } from "@/lib/clock";
import { devSmsActive } from "@/lib/sms";

export const dynamic = "force-dynamic";

const body = z.object({ advanceMs: z.number().int().min(0).max(7 * 24 * 3600 * 1000) });

/**
 * Test seam: moves the app's clock forward — only the calling browser's when it carries the
 * `reclaim-test-clock` scope cookie (lib/clock-scope.ts), else the whole server's. 404 unless
 * RECLAIM_TEST_CLOCK=1 in a dev or sandbox run.
 */
export const POST = route("dev-clock", async (_request, { body: text }) => {
  if (!testClockEnabled() || !devSmsActive()) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const parsed = body.safeParse(parseJson(text));
  if (!parsed.success) return NextResponse.json({ error: "bad_request", reason: "advanceMs must be a whole number of milliseconds" }, { status: 400 });
  return NextResponse.json(advanceTestClock(parsed.data.advanceMs));
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
