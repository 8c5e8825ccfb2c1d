import { applyKnobs, reply, type PlatformHandler } from "../context";
import { parseJson } from "../http";
import { eventRequestSchema } from "../protocol";

/**
 * `POST /{slug}/events`: body, recorded, then the knobs, then 202 — idempotent on `webhook-id`. A
 * real platform would act on `owner.erased` by deleting what it holds from Reclaim about the
 * number (never the account itself); the reference server records it for tests to read.
 */
export const events: PlatformHandler = async (ctx, res, { platform, body, knobs, signer }) => {
  const json = parseJson(body);
  if (!json.ok) return reply(ctx, res, 400, { error: "invalid_json" });
  const parsed = eventRequestSchema.safeParse(json.value);
  if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_body" });
  const event = parsed.data;
  ctx.state.count(event.number, (s) => {
    const seen = s.events[signer.id];
    s.events[signer.id] = { slug: platform.slug, type: event.type, at: event.at, deliveries: (seen?.deliveries ?? 0) + 1 };
  });
  if (await applyKnobs(ctx, res, knobs)) return;
  ctx.state.acceptedEvents.add(`${platform.slug} ${signer.id}`);
  return reply(ctx, res, 202, { status: "accepted" }, signer);
};
