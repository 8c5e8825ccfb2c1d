import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallbackInput, CallbackResponse } from "./callback";

/**
 * For tests: an HTTP server where a partner server's callbacks land and go through the same handler
 * as the route. `base` is what the partner server takes as Reclaim's address.
 */
export async function startCallbackReceiver(handle: (input: Pick<CallbackInput, "headers" | "body">) => Promise<CallbackResponse>) {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const result = await handle({ headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` until it holds; fails after `ms`. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out waiting");
}
