import { NextResponse } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { anyone, forRoute } from "@/lib/auth/guards";
import { route } from "@/lib/http/route";
import { createTestOwner, testOwnerInput, testOwnersEnabled } from "@/lib/sandbox/test-owners";

export const dynamic = "force-dynamic";

/**
 * Test seam: `POST /api/dev/owners` `{ number, carrier, tenures: [{ startedAt, endedAt?, simChangedAt? }] }`
 * writes the carrier's record of a number that has none, so that an end-to-end spec has an owner
 * of its own (lib/sandbox/test-owners.ts). 404 outside development and test runs; 409 for a number
 * that already has a record.
 */
export const POST = route("dev-owners", async (request, { body: text }) => {
  if (!testOwnersEnabled()) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const guarded = await forRoute(anyone, request, { changesState: true });
  if (guarded.response) return guarded.response;
  const parsed = testOwnerInput.safeParse(parseJson(text));
  if (!parsed.success) return NextResponse.json({ error: "bad_request" }, { status: 400 });
  const { handle } = await prepareDatabase();
  const result = await createTestOwner(handle.db, parsed.data);
  if (!result.ok) return NextResponse.json({ error: result.error }, { status: result.error === "exists" ? 409 : 400 });
  return NextResponse.json({ ok: true, tenures: result.tenures }, { status: 201 });
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
