import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "../../lib/platforms/signing";
import { applyKnobs, reply, type PartnerContext, type PlatformHandler } from "./context";
import { control } from "./handlers/control";
import { events } from "./handlers/events";
import { lookup } from "./handlers/lookup";
import { unbind } from "./handlers/unbind";
import { wrongPartyReports } from "./handlers/wrong-party-reports";
import { readBody } from "./http";
import { WRONG_SECRET } from "./knobs";
import { numberOf } from "./protocol";

/** The endpoints every sandbox platform serves at `/{slug}{path}`. A new endpoint is one handler file and one line here. */
const endpoints = new Map<string, PlatformHandler>([
  ["/lookup", lookup],
  ["/unbind", unbind],
  ["/wrong-party-reports", wrongPartyReports],
  ["/events", events],
]);

/**
 * `/_control/…` and `/health`; else `/{slug}/{endpoint}`: the platform, POST, the body (capped),
 * counted, then our signature (401 before any knob applies), then the endpoint's handler with the
 * knobs in force for the number the body names.
 */
export async function route(ctx: PartnerContext, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const [, slug, ...rest] = url.pathname.split("/");
  if (slug === "_control") return control(ctx, req, res, rest.join("/"));
  if (slug === "health") return reply(ctx, res, 200, { ok: true, platforms: ctx.state.platforms.size });
  const platform = slug ? ctx.state.platforms.get(slug) : undefined;
  if (!platform) return reply(ctx, res, 404, { error: "unknown_platform" });
  const path = `/${rest.join("/")}`;
  if (req.method !== "POST") return reply(ctx, res, 405, { error: "method_not_allowed" });

  const body = await readBody(req);
  if (body === null) return reply(ctx, res, 413, { error: "body_too_large" });
  const number = numberOf(body);
  const key = `${platform.slug} ${path}`;
  ctx.state.count(number, (s) => (s.requests[key] = (s.requests[key] ?? 0) + 1));
  const verified = verify(platform.secret, req.headers, body, { now: ctx.now() });
  if (!verified.ok) {
    ctx.state.count(number, (s) => s.rejectedSignatures++);
    return reply(ctx, res, 401, { error: "bad_signature", reason: verified.reason });
  }

  const knobs = ctx.state.knobsFor(platform.slug, number);
  const signer = { secret: knobs.badSignature ? WRONG_SECRET : platform.secret, id: verified.id };
  const handler = endpoints.get(path);
  if (handler) return handler(ctx, res, { platform, body, number, knobs, signer });
  if (await applyKnobs(ctx, res, knobs)) return;
  return reply(ctx, res, 404, { error: "unknown_endpoint" });
}
