import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { partnerCallbacks, platforms, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { MAX_BODY_BYTES } from "@/lib/platforms/client";
import { verify, type HeaderSource } from "@/lib/platforms/signing";
import { advanceItem } from "./transitions";

/**
 * `POST /api/partner/v1/unbind-results`: a platform tells us what became of an unbind request.
 * Signed by the platform (Standard Webhooks, its own secret), idempotent on `webhook-id`, and
 * never moves an item backwards.
 */
export const unbindResultSchema = z
  .object({
    requestId: z.uuid(),
    status: z.enum(["unbound", "scheduled", "rejected", "needs_owner_action"]),
    effectiveAt: z.iso.datetime({ offset: true }).optional(),
    reason: z.string().trim().min(1).max(200).optional(),
    instructions: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((v) => v.status !== "scheduled" || v.effectiveAt, { message: "scheduled needs effectiveAt", path: ["effectiveAt"] });

export type CallbackResponse = { status: number; body: Record<string, unknown> };

/**
 * `now` stamps the database rows (the app clock); the signature's 5-minute window is checked
 * against `wallClock`, the real time the platform signed with.
 */
export async function handleUnbindResult(
  db: Db,
  input: { headers: HeaderSource; body: string; now: Date; wallClock?: Date },
): Promise<CallbackResponse> {
  if (Buffer.byteLength(input.body) > MAX_BODY_BYTES) return { status: 413, body: { error: "body_too_large" } };
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return { status: 400, body: { error: "invalid_json" } };
  }
  const parsed = unbindResultSchema.safeParse(json);
  if (!parsed.success) {
    return { status: 400, body: { error: "invalid_body", issues: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`) } };
  }
  const result = parsed.data;
  const [item] = await db
    .select({ id: unbindItems.id, platformId: unbindItems.platformId, secrets: platforms.signingSecrets })
    .from(unbindItems)
    .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
    .where(eq(unbindItems.id, result.requestId));
  if (!item) return { status: 404, body: { error: "unknown_request" } };
  // Only the platform the request went to can answer it.
  const signature = verify(item.secrets, input.headers, input.body, { now: input.wallClock ?? new Date() });
  if (!signature.ok) return { status: 401, body: { error: "bad_signature", reason: signature.reason } };

  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(partnerCallbacks)
      .values({ webhookId: signature.id, platformId: item.platformId, receivedAt: input.now })
      .onConflictDoNothing()
      .returning({ id: partnerCallbacks.webhookId });
    if (fresh.length === 0) return { status: 200, body: { ok: true, duplicate: true } };
    const applied = await advanceItem(tx, item.id, {
      to: result.status,
      at: input.now,
      reason: result.status === "needs_owner_action" ? (result.instructions ?? result.reason ?? null) : (result.reason ?? null),
      effectiveAt: result.effectiveAt ? new Date(result.effectiveAt) : null,
    });
    await recordAudit(tx, {
      actorType: "platform",
      actorId: item.platformId,
      action: applied ? "unbind.result" : "unbind.result_ignored",
      subjectType: "unbind_item",
      subjectId: item.id,
      metadata: { status: result.status },
    });
    return { status: 200, body: applied ? { ok: true } : { ok: true, ignored: "not_forward" } };
  });
}
