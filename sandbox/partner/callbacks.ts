import { signatureHeaders } from "../../lib/platforms/signing";
import type { PartnerContext } from "./context";
import { sleep } from "./http";
import { CALLBACK_ATTEMPTS, CALLBACK_RETRY_MS, CALLBACK_TIMEOUT_MS } from "./protocol";

/**
 * One callback delivery: up to CALLBACK_ATTEMPTS tries under the same webhook-id, each signed
 * afresh. A 2xx is taken; a 4xx is final; a network error, 3xx (redirects are not followed) or
 * 5xx is retried. False when it was not taken (or when the server is resetting or closing).
 */
export async function deliverCallback(ctx: PartnerContext, target: string, body: string, id: string, secret: string, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    try {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", ...signatureHeaders(secret, body, { id, now: ctx.now() }) },
        body,
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      if (signal.aborted) return false;
    }
    if (status !== undefined && status >= 200 && status < 300) return true;
    if (status !== undefined && status >= 400 && status < 500) return false;
    if (attempt >= CALLBACK_ATTEMPTS || !(await sleep(CALLBACK_RETRY_MS, signal))) return false;
  }
}
