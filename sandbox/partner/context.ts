import type { ServerResponse } from "node:http";
import type { JWTVerifyGetKey } from "jose";
import { sendJson, type Signer } from "./http";
import { misbehave } from "./knobs";
import type { PartnerState } from "./state";
import type { PlatformKnobs, SandboxPlatform } from "./types";

/** What every handler is given: the state, the server's clock and randomness, and where Reclaim is. */
export interface PartnerContext {
  state: PartnerState;
  now: () => Date;
  random: () => number;
  /** Reclaim's `unbind-results` URL, if the server has somewhere to report to. */
  callbackUrl: string | undefined;
  /** Reclaim's public keys, if known. */
  jwks: JWTVerifyGetKey | undefined;
  issuer: string | undefined;
  /** A timer that close() clears. */
  delay(ms: number): Promise<void>;
}

/** A request to one platform whose signature verified, its body read. */
export interface PlatformRequest {
  platform: SandboxPlatform;
  body: string;
  /** The number the body names, if any: knobs and stats may be kept for it. */
  number: string | undefined;
  knobs: PlatformKnobs;
  /** Answers are signed under the request's webhook-id (with a wrong secret on request). */
  signer: Signer;
}

export type PlatformHandler = (ctx: PartnerContext, res: ServerResponse, request: PlatformRequest) => Promise<void>;

/** A JSON answer, signed when a signer is given. */
export function reply(ctx: PartnerContext, res: ServerResponse, status: number, body: unknown, signer?: Signer) {
  sendJson(res, status, body, signer && { ...signer, now: ctx.now() });
}

export function applyKnobs(ctx: PartnerContext, res: ServerResponse, knobs: PlatformKnobs) {
  return misbehave(res, knobs, ctx);
}
