import http from "node:http";
import { PEER_HEADER } from "./client-ip";

const globalForPeer = globalThis as unknown as { __reclaimPeerStamp?: true };

/**
 * Next.js gives route handlers and actions no socket address, and it fills X-Forwarded-For from the
 * socket only when a client sent none, so without a proxy a client chooses its own address. Every
 * request an http.Server of this process receives is stamped with the socket's peer instead (any
 * value a client sent under that name is replaced), before Next.js reads it. Runs once at start-up.
 */
export function stampPeerAddress(): void {
  if (globalForPeer.__reclaimPeerStamp) return;
  globalForPeer.__reclaimPeerStamp = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
