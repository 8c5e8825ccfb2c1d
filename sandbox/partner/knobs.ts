import type { ServerResponse } from "node:http";
import { z } from "zod";
import { sendJson } from "./http";
import type { PlatformKnobs } from "./types";

/**
 * The knobs that make a platform misbehave on purpose, as `POST /_control/knobs` takes them
 * (strictly: an unknown knob is refused), and how they are applied to a request.
 */

const unbindKnobsSchema = z
  .object({
    outcome: z.enum(["unbound", "scheduled", "rejected", "needs_owner_action"]).optional(),
    // setTimeout's limit; anything longer would fire at once.
    delayMs: z.number().min(0).max(2_147_483_647).optional(),
    reason: z.string().max(1_000).optional(),
    instructions: z.string().max(1_000).optional(),
    noticeDays: z.number().min(0).max(3_650).optional(),
    callbacks: z.number().int().min(0).max(100).optional(),
  })
  .strict();
const reportKnobsSchema = z
  .object({
    statuses: z.array(z.enum(["acknowledged", "contact_stopped", "disputed"])).max(10).optional(),
    delayMs: z.number().min(0).max(2_147_483_647).optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export const knobsSchema = z
  .object({
    latencyMs: z.union([z.number().min(0), z.object({ min: z.number().min(0), max: z.number().min(0) })]).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    hang: z.boolean().optional(),
    gone: z.boolean().optional(),
    badSignature: z.boolean().optional(),
    unbind: unbindKnobsSchema.optional(),
    report: reportKnobsSchema.optional(),
  })
  .strict();

export const WRONG_SECRET = "whsec_" + Buffer.from("not-the-secret-reclaim-knows-about").toString("base64");

export function latencyOf(knobs: PlatformKnobs, random: () => number): number {
  const l = knobs.latencyMs;
  if (l === undefined) return 0;
  if (typeof l === "number") return l;
  return l.min + random() * (l.max - l.min);
}

/**
 * Applies the misbehaviour knobs after the signature check: hang, latency, gone (410), error rate
 * (503). True when they took care of the request (answered it, or left it hanging).
 */
export async function misbehave(
  res: ServerResponse,
  knobs: PlatformKnobs,
  { random, delay }: { random: () => number; delay: (ms: number) => Promise<void> },
): Promise<boolean> {
  if (knobs.hang) return true; // The socket stays open until the caller gives up or we close.
  const wait = latencyOf(knobs, random);
  if (wait > 0) await delay(wait);
  if (knobs.gone) {
    sendJson(res, 410, { error: "gone" });
    return true;
  }
  if (knobs.errorRate && random() < knobs.errorRate) {
    sendJson(res, 503, { error: "unavailable" });
    return true;
  }
  return false;
}
