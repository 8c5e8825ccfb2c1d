import { prepareDatabase } from "@/db/startup";
import { forRoute, owner } from "@/lib/auth/guards";
import { appClock } from "@/lib/clock";
import { jsonError } from "@/lib/http/json";
import { route } from "@/lib/http/route";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformNames } from "@/lib/platforms/queries";
import { exportFileName, ownerExport } from "@/lib/owners/export";
import { getLocale } from "next-intl/server";

export const dynamic = "force-dynamic";

/**
 * "Download my data": the signed-in owner's export as a JSON file (lib/owners/export.ts), theirs
 * only. Never cached anywhere: it holds their number and the texts they reported.
 */
export const GET = route("my-data", async (request) => {
  const guard = await forRoute(owner, request, { changesState: false });
  if (guard.response) return guard.response;
  const who = guard.principal;
  const [{ handle }, label, locale] = await Promise.all([prepareDatabase(), platformLabeler(), getLocale()]);
  const now = appClock().now();
  const data = await ownerExport(handle.db, { ownerId: who.id, number: who.number, now, label: (p) => label(p).label, names: await platformNames(handle.db, locale) });
  if (!data) return jsonError(404, "not_found");
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(now)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
