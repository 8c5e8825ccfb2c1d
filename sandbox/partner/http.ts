import type { IncomingMessage, ServerResponse } from "node:http";
import { signatureHeaders } from "../../lib/platforms/signing";
import { MAX_BODY_BYTES } from "./protocol";

/** Sign the answer with this secret under the request's webhook-id (protocol v1). */
export interface Signer {
  secret: string;
  id: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, signed?: Signer & { now: Date }) {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signed) Object.assign(headers, signatureHeaders(signed.secret, text, { id: signed.id, now: signed.now }));
  res.writeHead(status, headers).end(text);
}

/** The body as text, or null once it passes MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Resolves true after `ms`, false at once when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
