import { NextResponse } from "next/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { route } from "@/lib/http/route";
import { deviceFromCookieHeader } from "@/lib/otp/device-id";
import { devSmsActive, devSmsShowsAll } from "@/lib/sms";
import { readOutbox } from "@/lib/sms/dev";

export const dynamic = "force-dynamic";

const query = z.object({ to: z.string().regex(/^\+[1-9]\d{6,14}$/).optional() });

/** The development outbox as JSON, newest first: `GET /api/dev/sms?to=+8613800138000`. */
export const GET = route("dev-sms", async (request) => {
  if (!devSmsActive()) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const parsed = query.safeParse({ to: new URL(request.url).searchParams.get("to") ?? undefined });
  if (!parsed.success) return NextResponse.json({ error: "bad_request", reason: "to must be an E.164 number" }, { status: 400 });
  const { handle } = await prepareDatabase();
  // A public sandbox shows a visitor only the codes their own browser asked for.
  const device = devSmsShowsAll() ? undefined : (deviceFromCookieHeader(request.headers.get("cookie")) ?? null);
  const messages = await readOutbox(handle.db, parsed.data.to, 20, device);
  return NextResponse.json(
    { messages: messages.map((m) => ({ id: m.id, to: m.to, body: m.body, createdAt: m.createdAt.toISOString() })) },
    { headers: { "Cache-Control": "no-store" } },
  );
});
