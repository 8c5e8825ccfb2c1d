import { z } from "zod";
import { auth } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { staffSessionValid } from "@/lib/auth/staff";
import { jsonError } from "@/lib/platforms/owner-api";
import { evidenceStore } from "@/lib/reports/evidence";
import { readEvidence, type EvidenceReader } from "@/lib/reports/service";
import { openTenure } from "@/lib/tenure";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * A report's screenshot, decrypted: only for the owner who reported it and the agent assigned to
 * its case (every staff read is audited). Anyone else gets 404, whether or not the file exists.
 */
export const GET = route<{ id: string; evidenceId: string }>("evidence", async (request, { params }) => {
  const { id, evidenceId } = params;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(evidenceId).success) return jsonError(404, "not_found");
  const user = (await auth())?.user;
  if (!user) return jsonError(401, "signed_out");
  const { handle } = await prepareDatabase();
  let reader: EvidenceReader;
  if (user.role === "owner") {
    const tenure = user.number ? await openTenure(handle.db, user.number) : null;
    if (!tenure) return jsonError(404, "not_found");
    reader = { kind: "owner", ownerId: user.id, tenureId: tenure.id };
  } else if (user.role === "agent" && (await staffSessionValid(handle.db, { id: user.id, role: user.role, carrierId: user.carrierId ?? null }))) {
    reader = { kind: "staff", staffId: user.id };
  } else {
    return jsonError(404, "not_found");
  }
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
