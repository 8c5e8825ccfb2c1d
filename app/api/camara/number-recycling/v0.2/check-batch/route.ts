import { checkBatchHandler } from "@/lib/camara/route";

export const dynamic = "force-dynamic";

/** Beyond CAMARA: up to 1,000 checks in one request (docs/camara.md). */
export const POST = checkBatchHandler();
