import { randomUUID } from "node:crypto";
import { checkAttestation } from "../attestation";
import { deliverCallback } from "../callbacks";
import { applyKnobs, reply, type PartnerContext, type PlatformHandler } from "../context";
import { parseJson, sleep } from "../http";
import { DEFAULT_NOTICE_DAYS, DEFAULT_OWNER_INSTRUCTIONS, DEFAULT_UNBIND_DELAY_MS, unbindRequestSchema, type UnbindRequest, type UnbindResult } from "../protocol";
import type { PlatformKnobs, UnbindKnobs } from "../types";

/**
 * `POST /{slug}/unbind`: body, then attestation, then the knobs, then 202 — idempotent on
 * requestId (a repeat is answered 202 and schedules nothing).
 */
export const unbind: PlatformHandler = async (ctx, res, { platform, body, knobs, signer }) => {
  const json = parseJson(body);
  if (!json.ok) return reply(ctx, res, 400, { error: "invalid_json" });
  const parsed = unbindRequestSchema.safeParse(json.value);
  if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_body" });
  const request = parsed.data;
  ctx.state.count(request.number, (s) => (s.unbinds[request.requestId] = (s.unbinds[request.requestId] ?? 0) + 1));
  // Without Reclaim's keys or an address to report to, this platform cannot take unbinds.
  if (!ctx.jwks || !ctx.callbackUrl) return reply(ctx, res, 503, { error: "unavailable" });
  const attestation = await checkAttestation(ctx, platform.slug, request, ctx.jwks);
  if (attestation === "unavailable") return reply(ctx, res, 503, { error: "unavailable" });
  if (attestation === "bad") return reply(ctx, res, 401, { error: "bad_attestation" });
  if (await applyKnobs(ctx, res, knobs)) return;
  if (!ctx.state.acceptedRequests.has(request.requestId)) {
    ctx.state.acceptedRequests.add(request.requestId);
    scheduleCallback(ctx, platform.slug, signer.secret, ctx.callbackUrl, request, knobs);
  }
  return reply(ctx, res, 202, { status: "accepted" }, signer);
};

/**
 * The outcome the platform's records call for: an account from before the tenure belongs to a
 * previous owner and is unbound; one made since is the current owner's own, and no account is
 * nothing to unbind.
 */
function outcomeFromRecords(ctx: PartnerContext, slug: string, number: string, tenureStart: Date): UnbindResult {
  const createdAt = ctx.state.boundAt(slug, number);
  if (!createdAt) return { status: "rejected", reason: "not_found" };
  return createdAt < tenureStart ? { status: "unbound" } : { status: "rejected", reason: "bound_after_tenure" };
}

/** The outcome to report: the records' unless a knob forces one, dated and explained. */
function decide(ctx: PartnerContext, slug: string, request: UnbindRequest, knobs: UnbindKnobs): UnbindResult {
  const fromRecords = outcomeFromRecords(ctx, slug, request.number, new Date(request.tenureStart));
  const status = knobs.outcome ?? fromRecords.status;
  const at = ctx.now();
  const result: UnbindResult = { status };
  if (status === "unbound") result.effectiveAt = at.toISOString();
  if (status === "scheduled") result.effectiveAt = new Date(at.getTime() + (knobs.noticeDays ?? DEFAULT_NOTICE_DAYS) * 86_400_000).toISOString();
  if (status === "needs_owner_action") result.instructions = knobs.instructions ?? DEFAULT_OWNER_INSTRUCTIONS;
  const reason = knobs.reason ?? (status === "rejected" ? (fromRecords.reason ?? "declined") : undefined);
  if (reason !== undefined) result.reason = reason;
  return result;
}

/**
 * After the platform's delay: decide, apply (an `unbound` number leaves the records), and report
 * to Reclaim, `callbacks` times under one webhook-id. Knobs are those of the accepted request.
 */
function scheduleCallback(ctx: PartnerContext, slug: string, secret: string, target: string, request: UnbindRequest, knobs: PlatformKnobs) {
  const unbindKnobs = knobs.unbind ?? {};
  const { signal, done } = ctx.state.startJob(request.number, request.requestId);
  void (async () => {
    try {
      if (!(await sleep(unbindKnobs.delayMs ?? DEFAULT_UNBIND_DELAY_MS, signal))) return;
      const result = decide(ctx, slug, request, unbindKnobs);
      if (result.status === "unbound") ctx.state.unbind(slug, request.number);
      const body = JSON.stringify({ requestId: request.requestId, ...result });
      const id = `msg_${randomUUID()}`;
      for (let i = 0; i < (unbindKnobs.callbacks ?? 1); i++) {
        const taken = await deliverCallback(ctx, target, body, id, secret, signal);
        if (signal.aborted) return;
        ctx.state.count(request.number, (s) => {
          if (!taken) return void s.callbacks.failed++;
          s.callbacks.sent++;
          s.callbacks.statuses[result.status] = (s.callbacks.statuses[result.status] ?? 0) + 1;
        });
      }
    } finally {
      done();
    }
  })();
}
