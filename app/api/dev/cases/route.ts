import { NextResponse } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { anyone, forRoute } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { route } from "@/lib/http/route";
import { createTestCase, testCaseInput } from "@/lib/sandbox/test-cases";
import { testOwnersEnabled } from "@/lib/sandbox/test-owners";

export const dynamic = "force-dynamic";

/**
 * Test seam: `POST /api/dev/cases` `{ number, kind: "tenure_review" | "manual", openedHoursAgo }`
 * opens a case about the open tenure of a number made with `POST /api/dev/owners`
 * (lib/sandbox/test-cases.ts). 404 outside development and test runs; same-origin only; 404 for
 * a number with no open tenure.
 */
export const POST = route("dev-cases", async (request, { body: text }) => {
  if (!testOwnersEnabled()) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const guarded = await forRoute(anyone, request, { changesState: true });
  if (guarded.response) return guarded.response;
  const parsed = testCaseInput.safeParse(parseJson(text));
  if (!parsed.success) return NextResponse.json({ error: "bad_request" }, { status: 400 });
  const { handle } = await prepareDatabase();
  const result = await createTestCase(handle.db, parsed.data, appClock().now());
  if (!result.ok) return NextResponse.json({ error: "not_found" }, { status: 404 });
  return NextResponse.json({ ok: true, id: result.id }, { status: 201 });
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
