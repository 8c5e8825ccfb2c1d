import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { checkBaseUrl, egressPolicy, ForbiddenAddressError, guardedLookup, type EgressPolicy } from "./egress";
import { signatureHeaders, verify } from "./signing";

/** Bodies in both directions stay under this; a larger answer is cut off and refused. */
export const MAX_BODY_BYTES = 20 * 1024;

export interface PartnerEndpoint {
  slug: string;
  baseUrl: string;
  /** First signs our requests; all are accepted on the platform's answers. */
  signingSecrets: readonly string[];
}

export type CallFailure =
  | "invalid_url"
  | "https_required"
  | "forbidden_address"
  | "timeout"
  | "network"
  | "redirect"
  | "http_status"
  | "body_too_large"
  | "invalid_json"
  | "bad_signature"
  | "no_secret";

export type CallResult =
  | { ok: true; status: number; body: unknown; latencyMs: number }
  | { ok: false; error: CallFailure; status?: number; retryAfterSeconds?: number; latencyMs: number };

export interface CallOptions {
  /** The `webhook-id`: the platform's idempotency key for this message. */
  id?: string;
  timeoutMs: number;
  policy?: EgressPolicy;
  /**
   * Check the Standard Webhooks signature of a 2xx answer (look-ups: yes). The platform signs its
   * answer with the `webhook-id` of our request.
   */
  verifyAnswer?: boolean;
}

/** A short, log-safe label for a failure: `timeout`, `http_503`, `bad_signature`, … */
export function failureLabel(result: Extract<CallResult, { ok: false }>): string {
  return result.error === "http_status" ? `http_${result.status}` : result.error;
}

/**
 * One signed POST to a platform. Never follows redirects, refuses forbidden addresses on the
 * resolved IP, gives up after `timeoutMs`, and never throws: every outcome is a value. Nothing
 * here logs: the number in the body is personal data.
 */
export async function callPartner(endpoint: PartnerEndpoint, path: string, payload: unknown, options: CallOptions): Promise<CallResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const policy = options.policy ?? egressPolicy();
  const checked = checkBaseUrl(endpoint.baseUrl, policy);
  if (!checked.ok) return { ok: false, error: checked.reason, latencyMs: 0 };
  if (endpoint.signingSecrets.length === 0) return { ok: false, error: "no_secret", latencyMs: 0 };

  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`Partner request body over ${MAX_BODY_BYTES} bytes`);
  const target = new URL(checked.url.pathname.replace(/\/+$/, "") + path, checked.url);
  // Signing time is wall-clock time even under the test clock: it is checked by another machine.
  const messageId = options.id ?? `msg_${randomUUID()}`;
  const signed = signatureHeaders(endpoint.signingSecrets[0]!, body, { id: messageId });
  const transport = target.protocol === "https:" ? https : http;
  const agent = agentFor(target.protocol, policy);

  return new Promise<CallResult>((resolve) => {
    let settled = false;
    let current: http.ClientRequest;
    const finish = (result: CallResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const send = (mayRetry: boolean) => {
      let answered = false;
      const request = transport.request(
        target,
        {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...signed },
          lookup: guardedLookup(policy) as never,
          agent,
        },
        (response) => {
          answered = true;
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            response.destroy();
            return finish({ ok: false, error: "redirect", status, latencyMs: elapsed() });
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              response.destroy();
              finish({ ok: false, error: "body_too_large", status, latencyMs: elapsed() });
            } else chunks.push(chunk);
          });
          response.on("error", () => finish({ ok: false, error: "network", status, latencyMs: elapsed() }));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (status < 200 || status >= 300) {
              return finish({ ok: false, error: "http_status", status, retryAfterSeconds: retryAfterSeconds(response.headers["retry-after"]), latencyMs: elapsed() });
            }
            if (options.verifyAnswer) {
              // The answer is signed under the request's own webhook-id, so a captured answer cannot
              // be replayed as the answer to another request.
              const checked = verify(endpoint.signingSecrets, response.headers, text);
              if (!checked.ok || checked.id !== messageId) return finish({ ok: false, error: "bad_signature", status, latencyMs: elapsed() });
            }
            let parsed: unknown = null;
            if (text.length > 0) {
              try {
                parsed = JSON.parse(text);
              } catch {
                return finish({ ok: false, error: "invalid_json", status, latencyMs: elapsed() });
              }
            }
            finish({ ok: true, status, body: parsed, latencyMs: elapsed() });
          });
        },
      );
      current = request;
      request.on("error", (err) => {
        // A kept-alive connection the platform closed just as we reused it: once more on a new
        // one (same webhook-id, so the platform sees one message).
        if (mayRetry && !answered && !settled && request.reusedSocket && (err as { code?: string }).code === "ECONNRESET") return send(false);
        const forbidden = err instanceof ForbiddenAddressError || (err as { code?: string }).code === "forbidden_address";
        finish({ ok: false, error: forbidden ? "forbidden_address" : "network", latencyMs: elapsed() });
      });
      request.end(body);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, error: "timeout", latencyMs: elapsed() });
      current.destroy();
    }, options.timeoutMs);
    send(true);
  });
}

/**
 * Connections are kept alive between calls (a new TCP connection per message was most of a
 * delivery's cost). The address check stays per connection: a pooled socket is only ever reused for
 * the same host and port it was opened to (node's agent keys its pool by them), after
 * `guardedLookup` checked the address it connected to, and there is one agent per egress policy,
 * so a connection opened under a looser policy is never handed to a call under a stricter one.
 * A new host name, a new port or a closed connection means a new socket and a new check.
 */
const agents = new Map<string, http.Agent>();

function agentFor(protocol: string, policy: EgressPolicy): http.Agent {
  const key = `${protocol}|loopback:${policy.allowLoopback}|https:${policy.requireHttps}`;
  let agent = agents.get(key);
  if (!agent) {
    // lifo: the warm connections are reused and the rest time out (after the server's keep-alive
    // hint, or 30 s idle).
    const options = { keepAlive: true, scheduling: "lifo" as const, timeout: 30_000, lookup: guardedLookup(policy) as never };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** `Retry-After` in either form the HTTP standard allows: seconds, or an HTTP date. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
