import { NextResponse } from "next/server";
import { prepareDatabase } from "@/db/startup";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

/** 503 while the database is away (load balancers take the instance out), 200 again once it is back. */
export async function GET() {
  const { httpStatus, body } = await healthReport(prepareDatabase);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (httpStatus === 503) headers["Retry-After"] = "5";
  return NextResponse.json(body, { status: httpStatus, headers });
}
