import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { either, forRoute, ownerWithTenure, staff } from "@/lib/auth/guards";
import { jsonError } from "@/lib/http/json";
import { route } from "@/lib/http/route";
import { evidenceStore } from "@/lib/reports/evidence";
import { readEvidence, type EvidenceReader } from "@/lib/reports/service";

export const dynamic = "force-dynamic";

/**
 * A report's screenshot, decrypted: only for the owner who reported it and the agent assigned to
 * its case (every staff read is audited). Anyone else gets 404, whether or not the file exists.
 */
export const GET = route<{ id: string; evidenceId: string }>("evidence", async (request, { params }) => {
  const { id, evidenceId } = params;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(evidenceId).success) return jsonError(404, "not_found");
  const guard = await forRoute(either(ownerWithTenure, staff("agent")), request, { changesState: false, hide: true });
  if (guard.response) return guard.response;
  const who = guard.principal;
  // Which reports each may read (their own tenure's; the assigned agent's) is readEvidence's rule.
  let reader: EvidenceReader;
  if (who.kind === "owner") {
    if (!who.tenure) return jsonError(404, "not_found");
    reader = { kind: "owner", ownerId: who.id, tenureId: who.tenure.id };
  } else {
    reader = { kind: "staff", staffId: who.id };
  }
  const { handle } = await prepareDatabase();
  const file = await readEvidence(handle.db, evidenceStore(), reader, { reportId: id, evidenceId });
  if (!file) return jsonError(404, "not_found");
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "content-type": file.mime,
      "content-length": String(file.bytes.length),
      "cache-control": "private, no-store",
      "content-disposition": `inline; filename="evidence-${evidenceId.slice(0, 8)}.${file.mime.split("/")[1]}"`,
      "x-content-type-options": "nosniff",
      // Served as an image and nothing else: no script, no frames, even if opened directly.
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
});
