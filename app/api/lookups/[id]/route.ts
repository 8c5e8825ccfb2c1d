import { after } from "next/server";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { appClock } from "@/lib/clock";
import { lookupConfig, ownerLookup, panelLookup, runLookup } from "@/lib/platforms/lookup";
import { scheduleRetries } from "@/lib/platforms/lookup-stream";
import { forRoute, ownerWithTenure } from "@/lib/auth/guards";
import { jsonError } from "@/lib/http/json";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * One of the owner's own look-ups with every answer so far. Platforms whose retry is due are asked
 * again after the response, so the page fills in late answers even where no background process
 * lives on.
 */
export const GET = route<{ id: string }>("lookup", async (request, { params }): Promise<Response> => {
  const guard = await forRoute(ownerWithTenure, request, { changesState: false });
  if (guard.response) return guard.response;
  const { id } = params;
  if (!z.uuid().safeParse(id).success) return jsonError(404, "not_found");
  const { handle } = await prepareDatabase();
  const { tenure } = guard.principal;
  // Scoped to the owner and their current tenure: another owner's id answers 404, as does a
  // look-up made by a previous holder of the number.
  const view = tenure ? await ownerLookup(handle.db, { ownerId: guard.principal.id, tenureId: tenure.id, lookupId: id }) : null;
  if (!view) return jsonError(404, "not_found");
  if (view.results.some((r) => r.status === "pending")) {
    const options = { config: lookupConfig(), clock: appClock() };
    after(() => runLookup(handle.db, id, options).then(() => scheduleRetries(handle.db, id, options)));
  }
  return Response.json(panelLookup(view, { now: appClock().now() }), { headers: { "cache-control": "no-store" } });
});
