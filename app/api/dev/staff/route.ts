import { NextResponse } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { anyone, forRoute } from "@/lib/auth/guards";
import { createStaffUser } from "@/lib/auth/staff";
import { route } from "@/lib/http/route";
import { testOwnersEnabled } from "@/lib/sandbox/test-owners";

export const dynamic = "force-dynamic";

/**
 * Test seam: `POST /api/dev/staff` `{ email, role, carrier?, name }` creates a staff account the way
 * `npm run staff:create` does and answers its one-time password, so an end-to-end spec can walk a
 * first sign-in (new password, enrolment). 404 outside development and test runs, like /api/dev/owners.
 */
export const POST = route("dev-staff", async (request, { body: text }) => {
  if (!testOwnersEnabled()) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const guarded = await forRoute(anyone, request, { changesState: true });
  if (guarded.response) return guarded.response;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    return NextResponse.json({ error: "bad_request" }, { status: 400 });
  }
  const { handle } = await prepareDatabase();
  const result = await createStaffUser(handle.db, body);
  if (!result.ok) return NextResponse.json({ error: "bad_request" }, { status: 400 });
  return NextResponse.json({ ok: true, password: result.password }, { status: 201 });
});
