import { tokenHandler } from "@/lib/camara/route";

export const dynamic = "force-dynamic";

/** OAuth 2.0 client credentials for the platform APIs (docs/camara.md). */
export const POST = tokenHandler();
