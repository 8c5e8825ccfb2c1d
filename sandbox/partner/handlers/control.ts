import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { reply, type PartnerContext } from "../context";
import { parseJson, readBody } from "../http";
import { knobsSchema } from "../knobs";
import { E164 } from "../protocol";

/**
 * `/_control/…`: how tests and people turn the knobs of a running server. No authentication: the
 * server listens on loopback. Every call may name a `number`, so that tests running side by side
 * each keep their own knobs, account records and counts:
 * - `GET  /_control/stats[?number=…]`
 * - `POST /_control/reset` `{ number? }`
 * - `POST /_control/knobs` `{ slug?, number?, knobs? }`
 * - `POST /_control/bindings` `{ number, accounts: { slug: createdAt } }`
 */

const number = z.string().regex(E164);
const knobsBody = z.object({ slug: z.string().optional(), number: number.optional(), knobs: knobsSchema.optional() });
const resetBody = z.object({ number: number.optional() });
const bindingsBody = z.object({ number, accounts: z.record(z.string().max(100), z.iso.datetime({ offset: true })) });

export async function control(ctx: PartnerContext, req: IncomingMessage, res: ServerResponse, action: string) {
  if (action === "stats" && req.method === "GET") {
    const scope = new URL(req.url ?? "/", "http://sandbox").searchParams.get("number");
    if (scope !== null && !number.safeParse(scope).success) return reply(ctx, res, 400, { error: "invalid_number" });
    return reply(ctx, res, 200, ctx.state.stats({ number: scope ?? undefined }));
  }
  if (req.method !== "POST") return reply(ctx, res, 405, { error: "method_not_allowed" });
  if (action !== "reset" && action !== "knobs" && action !== "bindings") return reply(ctx, res, 404, { error: "not_found" });

  const raw = await readBody(req);
  if (raw === null) return reply(ctx, res, 413, { error: "body_too_large" });
  const json = parseJson(raw || "{}");
  if (!json.ok) return reply(ctx, res, 400, { error: "invalid_json" });

  if (action === "reset") {
    const parsed = resetBody.safeParse(json.value);
    if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_body" });
    ctx.state.reset(parsed.data);
    return reply(ctx, res, 200, { ok: true });
  }
  if (action === "knobs") {
    const parsed = knobsBody.safeParse(json.value);
    if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_knobs" });
    ctx.state.setKnobs(parsed.data.slug ?? "*", parsed.data.knobs ?? {}, { number: parsed.data.number });
    return reply(ctx, res, 200, { ok: true });
  }
  const parsed = bindingsBody.safeParse(json.value);
  if (!parsed.success) return reply(ctx, res, 400, { error: "invalid_body" });
  ctx.state.setBindings(parsed.data.number, parsed.data.accounts);
  return reply(ctx, res, 200, { ok: true });
}
