import { checkHandler } from "@/lib/camara/route";

export const dynamic = "force-dynamic";

/** CAMARA NumberRecycling v0.2.0 `checkNumberRecycling` (docs/camara.md). */
export const POST = checkHandler();
