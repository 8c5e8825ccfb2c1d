import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { platforms, unbindItems } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { receiveCallback, type CallbackInput, type CallbackResponse } from "@/lib/platforms/callback";
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

/** `POST /api/partner/v1/unbind-results`, through the shared callback checks (lib/platforms/callback.ts). */
export function handleUnbindResult(db: Db, input: CallbackInput): Promise<CallbackResponse> {
  return receiveCallback(db, input, {
    schema: unbindResultSchema,
    unknown: "unknown_request",
    find: async (result) => {
      const [item] = await db
        .select({ id: unbindItems.id, platformId: unbindItems.platformId })
        .from(unbindItems)
        .innerJoin(platforms, eq(platforms.id, unbindItems.platformId))
        .where(eq(unbindItems.id, result.requestId));
      return item;
    },
    apply: async (tx, result, item) => {
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
    },
  });
}
