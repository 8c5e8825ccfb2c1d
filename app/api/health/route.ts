import { NextResponse } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const { httpStatus, body } = await healthReport(prepareDatabase);
  return NextResponse.json(body, { status: httpStatus, headers: { "Cache-Control": "no-store" } });
}
