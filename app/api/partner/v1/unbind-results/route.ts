import { callbackRoute } from "@/lib/platforms/callback-route";
import { handleUnbindResult } from "@/lib/unbind/callbacks";

export const dynamic = "force-dynamic";

/** Platform → Reclaim: the outcome of an unbind request (docs/partner-api.md). */
export const POST = callbackRoute("unbind-results", handleUnbindResult);
