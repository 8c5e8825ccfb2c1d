import { applyKnobs, reply, type PlatformHandler } from "../context";
import { parseJson } from "../http";
import { E164 } from "../protocol";

/**
 * `POST /{slug}/lookup`: the knobs, then the body, then `bound_before_tenure | bound_since_tenure |
 * not_bound` from the platform's records, signed.
 */
export const lookup: PlatformHandler = async (ctx, res, { platform, body, knobs, signer }) => {
  if (await applyKnobs(ctx, res, knobs)) return;
  const parsed = parseJson(body);
  if (!parsed.ok) return reply(ctx, res, 400, { error: "invalid_json" });
  const input = (parsed.value ?? {}) as { number?: unknown; tenureStart?: unknown };
  const tenureStart = typeof input.tenureStart === "string" ? new Date(input.tenureStart) : null;
  if (typeof input.number !== "string" || !E164.test(input.number) || !tenureStart || Number.isNaN(tenureStart.getTime())) {
    return reply(ctx, res, 400, { error: "invalid_body" });
  }
  const createdAt = ctx.state.boundAt(platform.slug, input.number);
  const status = !createdAt ? "not_bound" : createdAt < tenureStart ? "bound_before_tenure" : "bound_since_tenure";
  return reply(ctx, res, 200, { status }, signer);
};
