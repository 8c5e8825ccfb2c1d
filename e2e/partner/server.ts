import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { platformSeed, sandboxBindings, sandboxSigningSecret } from "../../db/seed-data";
import { signatureHeaders, verify } from "../../lib/platforms/signing";

/**
 * The reference partner server: the platforms' side of partner protocol v1, for any number of
 * sandbox platforms at `/{slug}/…`. It is what a platform would run, written against the protocol
 * document rather than against Reclaim's code: it checks our signatures (401 when they are wrong),
 * keeps its own account records, and answers with signed, explicit enums.
 *
 * Three endpoints per platform:
 * - `POST /{slug}/lookup` answers `bound_before_tenure | bound_since_tenure | not_bound` from the
 *   platform's records.
 * - `POST /{slug}/unbind` verifies the attestation (ES256, against Reclaim's JWKS), answers 202 and,
 *   after a per-platform delay, reports the outcome to Reclaim's `unbind-results` endpoint with a
 *   signed callback (retried a few times if Reclaim does not take it). An `unbound` outcome removes
 *   the binding from the platform's records, so later look-ups answer `not_bound`.
 * - `POST /{slug}/wrong-party-reports` takes a report of a message the platform (or its debt
 *   collector) sent to a number's new owner, answers 202, and reports back what it did to
 *   Reclaim's `report-results` endpoint: by default `acknowledged`, then `contact_stopped`.
 *
 * Knobs per platform make it misbehave on purpose: latency (fixed or uniform between min and max),
 * an error rate (503), hang (accepts the request and never answers), gone (410 to everything),
 * bad-signature mode (signs its answers and callbacks with a secret Reclaim does not know) and the
 * unbind outcome, delay and duplicate callbacks. Tests and `npm run dev` start it; so does
 * `bench/lookup.ts`.
 */

export const MAX_BODY_BYTES = 20 * 1024;
/** Path of Reclaim's endpoint for unbind outcomes, relative to Reclaim's base URL. */
export const UNBIND_RESULTS_PATH = "/api/partner/v1/unbind-results";
/** Path of Reclaim's endpoint for what became of a wrong-party report. */
export const REPORT_RESULTS_PATH = "/api/partner/v1/report-results";
export const DEFAULT_REPORT_STATUSES: ReportResultStatus[] = ["acknowledged", "contact_stopped"];
export const DEFAULT_UNBIND_DELAY_MS = 200;
export const DEFAULT_NOTICE_DAYS = 7;
export const DEFAULT_OWNER_INSTRUCTIONS = "Open the app, go to Settings › Account › Phone number and confirm the change.";
/** A callback is tried this many times (network error, 3xx or 5xx), this far apart. */
export const CALLBACK_ATTEMPTS = 3;
export const CALLBACK_RETRY_MS = 200;
/** One callback attempt is abandoned after this long (the protocol's 10 s request limit). */
const CALLBACK_TIMEOUT_MS = 10_000;
/** Attestation checks (docs/partner-api.md §6): type, lifetime, clock skew allowed. */
const ATTESTATION_TYPE = "reclaim-attestation+jwt";
const ATTESTATION_MAX_LIFETIME_SECONDS = 15 * 60;
const CLOCK_TOLERANCE_SECONDS = 5;
const E164 = /^\+[1-9]\d{6,14}$/;

export type UnbindOutcome = "unbound" | "scheduled" | "rejected" | "needs_owner_action";

export interface UnbindKnobs {
  /** Force this outcome; by default it follows the platform's records (see `startPartnerServer`). */
  outcome?: UnbindOutcome;
  /** Wait before deciding and calling back (default 200 ms). */
  delayMs?: number;
  /** Sent as the callback's `reason` (for `rejected`, replaces the reason from the records). */
  reason?: string;
  /** Sent with `needs_owner_action` (a default text otherwise). */
  instructions?: string;
  /** `scheduled`: the unbind takes effect this many days from now (default 7). */
  noticeDays?: number;
  /** Send the callback this many times under the same webhook-id (duplicate delivery); 0: never. Default 1. */
  callbacks?: number;
}

export type ReportResultStatus = "acknowledged" | "contact_stopped" | "disputed";

export interface ReportKnobs {
  /** The answers sent back in order, one callback each (default acknowledged, then contact_stopped). */
  statuses?: ReportResultStatus[];
  /** Wait this long before each answer (default 200 ms). */
  delayMs?: number;
  /** Sent as every answer's `note`. */
  note?: string;
}

export interface PlatformKnobs {
  latencyMs?: number | { min: number; max: number };
  /** 0…1: the share of requests answered 503. */
  errorRate?: number;
  /** Take the request and never answer. */
  hang?: boolean;
  /** Answer every (correctly signed) request 410 `gone`: a platform that left the programme. */
  gone?: boolean;
  /** Sign answers and callbacks with a wrong secret. */
  badSignature?: boolean;
  /** How unbind requests are decided and reported. */
  unbind?: UnbindKnobs;
  /** How wrong-party reports are answered. */
  report?: ReportKnobs;
}

export interface SandboxPlatform {
  slug: string;
  secret: string;
  knobs?: PlatformKnobs;
}

export interface PartnerServerOptions {
  port?: number;
  host?: string;
  /** Defaults to the seeded sandbox platforms with their derived secrets. */
  platforms?: SandboxPlatform[];
  /**
   * number → slug → when that platform's account on the number was created (ISO). Copied: unbinds
   * change the server's copy, never the object given (nor the seed).
   */
  bindings?: Record<string, Record<string, string>>;
  /**
   * Reclaim's `unbind-results` URL, where outcomes are reported. Default: env RECLAIM_CALLBACK_URL.
   * Without one, unbind requests are answered 503 (nowhere to report to).
   */
  callbackUrl?: string;
  /**
   * Reclaim's public keys, to verify attestations: a JWKS URL, or the key set itself. Default: env
   * RECLAIM_JWKS_URL, else `/.well-known/jwks.json` at Reclaim's base (derived from the callback
   * URL). Without one, unbind requests are answered 503.
   */
  jwks?: string | JSONWebKeySet;
  /** Reclaim's attestation issuer (`iss`), checked when given. */
  issuer?: string;
  random?: () => number;
  now?: () => Date;
}

export interface PartnerStats {
  /** Requests received per `slug path`, e.g. `linkup-chat /lookup`. */
  requests: Record<string, number>;
  /** Requests refused because our signature did not verify. */
  rejectedSignatures: number;
  /**
   * Well-formed unbind deliveries received per requestId, whatever they were answered (a bad
   * attestation, a 503 from a knob, an idempotent repeat all count).
   */
  unbinds: Record<string, number>;
  /**
   * Callbacks to `unbind-results`. `sent`: taken by Reclaim (2xx), duplicates each counted; `failed`:
   * given up on (4xx, or still failing after the last attempt); `statuses`: sent callbacks per
   * outcome `status`.
   */
  callbacks: { sent: number; failed: number; statuses: Record<string, number> };
  /**
   * Wrong-party reports received, per reportId: how often it was delivered, and what it said (the
   * category and the text exactly as received, so tests can check it arrived redacted).
   */
  reports: Record<string, { deliveries: number; category: string; text: string; sender?: string; tenureStart: string }>;
  /** Callbacks to `report-results`, counted as `callbacks` is. */
  reportCallbacks: { sent: number; failed: number; statuses: Record<string, number> };
}

export interface PartnerServer {
  url: string;
  port: number;
  /** Where unbind outcomes are reported, if anywhere. */
  callbackUrl: string | undefined;
  setKnobs(slug: string | "*", knobs: PlatformKnobs): void;
  /** Restores the start-up knobs and account records, zeroes the stats, drops pending callbacks and forgets seen requestIds. */
  reset(): void;
  stats(): PartnerStats;
  /** Unbind callbacks accepted but not yet finished (waiting out their delay, or being delivered). */
  pendingCallbacks(): number;
  /** Cancels pending callbacks, drops open connections, stops listening. */
  close(): Promise<void>;
}

export function seededSandboxPlatforms(): SandboxPlatform[] {
  return platformSeed.map((p) => ({ slug: p.slug, secret: sandboxSigningSecret(p.slug) }));
}

const unbindKnobsSchema = z
  .object({
    outcome: z.enum(["unbound", "scheduled", "rejected", "needs_owner_action"]).optional(),
    // setTimeout's limit; anything longer would fire at once.
    delayMs: z.number().min(0).max(2_147_483_647).optional(),
    reason: z.string().max(1_000).optional(),
    instructions: z.string().max(1_000).optional(),
    noticeDays: z.number().min(0).max(3_650).optional(),
    callbacks: z.number().int().min(0).max(100).optional(),
  })
  .strict();
const reportKnobsSchema = z
  .object({
    statuses: z.array(z.enum(["acknowledged", "contact_stopped", "disputed"])).max(10).optional(),
    delayMs: z.number().min(0).max(2_147_483_647).optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
const knobsSchema = z
  .object({
    latencyMs: z.union([z.number().min(0), z.object({ min: z.number().min(0), max: z.number().min(0) })]).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    hang: z.boolean().optional(),
    gone: z.boolean().optional(),
    badSignature: z.boolean().optional(),
    unbind: unbindKnobsSchema.optional(),
    report: reportKnobsSchema.optional(),
  })
  .strict();
const controlSchema = z.object({ slug: z.string().optional(), knobs: knobsSchema.optional() });

/** `POST {base}/unbind` (docs/partner-api.md §5). Unknown fields are ignored, as the protocol asks. */
const unbindRequestSchema = z.object({
  requestId: z.uuid(),
  number: z.string().regex(E164),
  tenureStart: z.iso.datetime({ offset: true }),
  attestation: z.string().min(1),
});
type UnbindRequest = z.infer<typeof unbindRequestSchema>;

/** `POST {base}/wrong-party-reports` (docs/partner-api.md §5). */
const reportRequestSchema = z.object({
  reportId: z.uuid(),
  number: z.string().regex(E164),
  tenureStart: z.iso.datetime({ offset: true }),
  category: z.string().min(1).max(40),
  receivedAt: z.iso.datetime({ offset: true }),
  text: z.string().max(4000),
  channel: z.string().max(20).optional(),
  sender: z.string().max(200).optional(),
});
type ReportRequest = z.infer<typeof reportRequestSchema>;

/** What an unbind callback reports, besides the requestId. */
interface UnbindResult {
  status: UnbindOutcome;
  effectiveAt?: string;
  reason?: string;
  instructions?: string;
}

/** jose errors that mean "this token is not good" (as opposed to "Reclaim's JWKS could not be fetched"). */
const BAD_TOKEN_CODES = new Set([
  joseErrors.JWTClaimValidationFailed.code,
  joseErrors.JWTExpired.code,
  joseErrors.JOSEAlgNotAllowed.code,
  joseErrors.JOSENotSupported.code,
  joseErrors.JWSInvalid.code,
  joseErrors.JWTInvalid.code,
  joseErrors.JWKSNoMatchingKey.code,
  joseErrors.JWKSMultipleMatchingKeys.code,
  joseErrors.JWSSignatureVerificationFailed.code,
]);

const WRONG_SECRET = "whsec_" + Buffer.from("not-the-secret-reclaim-knows-about").toString("base64");

/** Reclaim's base URL from its `unbind-results` URL (the origin, if the path is something else). */
function reclaimBase(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  const path = url.pathname.endsWith(UNBIND_RESULTS_PATH) ? url.pathname.slice(0, -UNBIND_RESULTS_PATH.length) : "";
  return `${url.origin}${path}`;
}

function resolveJwks(option: PartnerServerOptions["jwks"], callbackUrl: string | undefined): JWTVerifyGetKey | undefined {
  if (option !== undefined && typeof option !== "string") return createLocalJWKSet(option);
  const url = option || process.env.RECLAIM_JWKS_URL || (callbackUrl ? `${reclaimBase(callbackUrl)}/.well-known/jwks.json` : undefined);
  return url ? createRemoteJWKSet(new URL(url)) : undefined;
}

/** Resolves true after `ms`, false at once when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
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

const emptyStats = (): PartnerStats => ({
  requests: {},
  rejectedSignatures: 0,
  unbinds: {},
  callbacks: { sent: 0, failed: 0, statuses: {} },
  reports: {},
  reportCallbacks: { sent: 0, failed: 0, statuses: {} },
});

export async function startPartnerServer(options: PartnerServerOptions = {}): Promise<PartnerServer> {
  const platforms = new Map((options.platforms ?? seededSandboxPlatforms()).map((p) => [p.slug, { ...p, knobs: structuredClone(p.knobs ?? {}) }]));
  const initialKnobs = new Map([...platforms].map(([slug, p]) => [slug, structuredClone(p.knobs)]));
  const initialBindings = structuredClone(options.bindings ?? sandboxBindings);
  let bindings = structuredClone(initialBindings);
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const callbackUrl = options.callbackUrl || process.env.RECLAIM_CALLBACK_URL || undefined;
  const jwks = resolveJwks(options.jwks, callbackUrl);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stats = emptyStats();
  /** requestIds answered 202 (idempotency), and attestation ids seen → their requestId and expiry. */
  let acceptedRequests = new Set<string>();
  let acceptedReports = new Set<string>();
  let seenJtis = new Map<string, { requestId: string; exp: number }>();
  /** Aborted by reset() and close(): every callback scheduled before it is dropped. */
  let generation = new AbortController();
  let pendingJobs = new Set<symbol>();

  function delay(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function latencyOf(knobs: PlatformKnobs): number {
    const l = knobs.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === "number") return l;
    return l.min + random() * (l.max - l.min);
  }

  /** `signed`: sign the answer with this secret under the request's webhook-id (protocol v1). */
  function sendJson(res: ServerResponse, status: number, body: unknown, signed?: { secret: string; id: string }) {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signed) Object.assign(headers, signatureHeaders(signed.secret, text, { id: signed.id, now: now() }));
    res.writeHead(status, headers).end(text);
  }

  async function readBody(req: IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async function control(req: IncomingMessage, res: ServerResponse, action: string) {
    if (action === "stats" && req.method === "GET") return sendJson(res, 200, stats);
    if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });
    if (action === "reset") {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (action === "knobs") {
      const raw = await readBody(req);
      if (raw === null) return sendJson(res, 413, { error: "body_too_large" });
      let parsed: ReturnType<typeof controlSchema.safeParse>;
      try {
        parsed = controlSchema.safeParse(JSON.parse(raw || "{}"));
      } catch {
        return sendJson(res, 400, { error: "invalid_json" });
      }
      if (!parsed.success) return sendJson(res, 400, { error: "invalid_knobs" });
      setKnobs(parsed.data.slug ?? "*", parsed.data.knobs ?? {});
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: "not_found" });
  }

  function setKnobs(slug: string, knobs: PlatformKnobs) {
    for (const [s, p] of platforms) if (slug === "*" || s === slug) p.knobs = structuredClone(knobs);
  }

  function reset() {
    for (const [slug, p] of platforms) p.knobs = structuredClone(initialKnobs.get(slug) ?? {});
    bindings = structuredClone(initialBindings);
    stats = emptyStats();
    acceptedRequests = new Set();
    acceptedReports = new Set();
    seenJtis = new Map();
    generation.abort();
    generation = new AbortController();
    pendingJobs = new Set();
  }

  /** When this platform's account on the number was created, if it has one. */
  function boundAt(slug: string, number: string): Date | undefined {
    const createdAt = bindings[number]?.[slug];
    return createdAt ? new Date(createdAt) : undefined;
  }

  /**
   * The outcome the platform's records call for: an account from before the tenure belongs to a
   * previous owner and is unbound; one made since is the current owner's own, and no account is
   * nothing to unbind.
   */
  function unbindOutcomeFor(slug: string, number: string, tenureStart: Date): UnbindResult {
    const createdAt = boundAt(slug, number);
    if (!createdAt) return { status: "rejected", reason: "not_found" };
    return createdAt < tenureStart ? { status: "unbound" } : { status: "rejected", reason: "bound_after_tenure" };
  }

  /** The outcome to report: the records' unless a knob forces one, dated and explained. */
  function decideUnbind(slug: string, request: UnbindRequest, knobs: UnbindKnobs): UnbindResult {
    const fromRecords = unbindOutcomeFor(slug, request.number, new Date(request.tenureStart));
    const status = knobs.outcome ?? fromRecords.status;
    const at = now();
    const result: UnbindResult = { status };
    if (status === "unbound") result.effectiveAt = at.toISOString();
    if (status === "scheduled") result.effectiveAt = new Date(at.getTime() + (knobs.noticeDays ?? DEFAULT_NOTICE_DAYS) * 86_400_000).toISOString();
    if (status === "needs_owner_action") result.instructions = knobs.instructions ?? DEFAULT_OWNER_INSTRUCTIONS;
    const reason = knobs.reason ?? (status === "rejected" ? (fromRecords.reason ?? "declined") : undefined);
    if (reason !== undefined) result.reason = reason;
    return result;
  }

  /**
   * Verifies an unbind attestation as docs/partner-api.md §6 asks: ES256 only, our type, audience =
   * this slug, issuer when configured, lifetime ≤ 15 min, `sub` and `tenure_start` equal to the
   * request's, and a `jti` never seen with another requestId. "unavailable" when Reclaim's keys
   * cannot be fetched (that is not the token's fault).
   */
  async function checkAttestation(slug: string, request: UnbindRequest, keys: JWTVerifyGetKey): Promise<"ok" | "bad" | "unavailable"> {
    const currentDate = now();
    let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
    try {
      ({ payload } = await jwtVerify(request.attestation, keys, {
        algorithms: ["ES256"],
        audience: slug,
        issuer: options.issuer,
        typ: ATTESTATION_TYPE,
        maxTokenAge: ATTESTATION_MAX_LIFETIME_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate,
        requiredClaims: ["sub", "jti", "iat", "exp", "tenure_start", "tenure_source", "otp_verified_at", "sim_changed_at"],
      }));
    } catch (error) {
      return error instanceof joseErrors.JOSEError && BAD_TOKEN_CODES.has(error.code) ? "bad" : "unavailable";
    }
    const { sub, jti, iat, exp, tenure_start: tenureStart } = payload;
    if (sub !== request.number) return "bad";
    if (tenureStart !== Math.floor(Date.parse(request.tenureStart) / 1000)) return "bad";
    if (typeof jti !== "string" || exp === undefined || iat === undefined) return "bad";
    if (exp - iat > ATTESTATION_MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) return "bad";
    const nowSeconds = Math.floor(currentDate.getTime() / 1000);
    for (const [id, seen] of seenJtis) if (seen.exp < nowSeconds - CLOCK_TOLERANCE_SECONDS) seenJtis.delete(id);
    const seen = seenJtis.get(jti);
    if (seen && seen.requestId !== request.requestId) return "bad";
    seenJtis.set(jti, { requestId: request.requestId, exp });
    return "ok";
  }

  /**
   * One callback delivery: up to CALLBACK_ATTEMPTS tries under the same webhook-id, each signed
   * afresh. A 2xx is taken; a 4xx is final; a network error, 3xx (redirects are not followed) or
   * 5xx is retried. False when it was not taken (or when the server is resetting or closing).
   */
  async function deliverCallback(target: string, body: string, id: string, secret: string, signal: AbortSignal): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      let status: number | undefined;
      try {
        const res = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...signatureHeaders(secret, body, { id, now: now() }) },
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

  /**
   * After the platform's delay: decide, apply (an `unbound` number leaves the records), and report
   * to Reclaim, `callbacks` times under one webhook-id. Knobs are those of the accepted request.
   */
  function scheduleCallback(slug: string, secret: string, target: string, request: UnbindRequest, knobs: PlatformKnobs) {
    const unbind = knobs.unbind ?? {};
    const { signal } = generation;
    const jobs = pendingJobs;
    const job = Symbol(request.requestId);
    jobs.add(job);
    void (async () => {
      try {
        if (!(await sleep(unbind.delayMs ?? DEFAULT_UNBIND_DELAY_MS, signal))) return;
        const result = decideUnbind(slug, request, unbind);
        if (result.status === "unbound") {
          const accounts = bindings[request.number];
          if (accounts) {
            delete accounts[slug];
            if (Object.keys(accounts).length === 0) delete bindings[request.number];
          }
        }
        const body = JSON.stringify({ requestId: request.requestId, ...result });
        const id = `msg_${randomUUID()}`;
        for (let i = 0; i < (unbind.callbacks ?? 1); i++) {
          const taken = await deliverCallback(target, body, id, secret, signal);
          if (signal.aborted) return;
          if (taken) {
            stats.callbacks.sent++;
            stats.callbacks.statuses[result.status] = (stats.callbacks.statuses[result.status] ?? 0) + 1;
          } else {
            stats.callbacks.failed++;
          }
        }
      } finally {
        jobs.delete(job);
      }
    })();
  }

  /**
   * What the platform did about a report, one signed callback per status in the knob's list, each
   * after the delay and under its own webhook-id. Knobs are those of the accepted report.
   */
  function scheduleReportCallbacks(secret: string, target: string, report: ReportRequest, knobs: ReportKnobs) {
    const { signal } = generation;
    const jobs = pendingJobs;
    const job = Symbol(report.reportId);
    jobs.add(job);
    void (async () => {
      try {
        for (const status of knobs.statuses ?? DEFAULT_REPORT_STATUSES) {
          if (!(await sleep(knobs.delayMs ?? DEFAULT_UNBIND_DELAY_MS, signal))) return;
          const body = JSON.stringify({ reportId: report.reportId, status, ...(knobs.note ? { note: knobs.note } : {}) });
          const taken = await deliverCallback(target, body, `msg_${randomUUID()}`, secret, signal);
          if (signal.aborted) return;
          if (taken) {
            stats.reportCallbacks.sent++;
            stats.reportCallbacks.statuses[status] = (stats.reportCallbacks.statuses[status] ?? 0) + 1;
          } else {
            stats.reportCallbacks.failed++;
          }
        }
      } finally {
        jobs.delete(job);
      }
    })();
  }

  /** `POST /{slug}/wrong-party-reports`: body, then the knobs, then 202 — idempotent on reportId. */
  async function wrongPartyReport(res: ServerResponse, body: string, knobs: PlatformKnobs, signed: { secret: string; id: string }) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return sendJson(res, 400, { error: "invalid_json" });
    }
    const parsed = reportRequestSchema.safeParse(json);
    if (!parsed.success) return sendJson(res, 400, { error: "invalid_body" });
    const report = parsed.data;
    const seen = stats.reports[report.reportId];
    stats.reports[report.reportId] = {
      deliveries: (seen?.deliveries ?? 0) + 1,
      category: report.category,
      text: report.text,
      tenureStart: report.tenureStart,
      ...(report.sender ? { sender: report.sender } : {}),
    };
    if (!callbackUrl) return sendJson(res, 503, { error: "unavailable" });
    if (await misbehave(res, knobs)) return;
    if (!acceptedReports.has(report.reportId)) {
      acceptedReports.add(report.reportId);
      scheduleReportCallbacks(signed.secret, `${reclaimBase(callbackUrl)}${REPORT_RESULTS_PATH}`, report, knobs.report ?? {});
    }
    return sendJson(res, 202, { status: "accepted" }, signed);
  }

  /**
   * Applies the misbehaviour knobs after the signature check: hang, latency, gone (410), error rate
   * (503). True when they took care of the request (answered it, or left it hanging).
   */
  async function misbehave(res: ServerResponse, knobs: PlatformKnobs): Promise<boolean> {
    if (knobs.hang) return true; // The socket stays open until the caller gives up or we close.
    const wait = latencyOf(knobs);
    if (wait > 0) await delay(wait);
    if (knobs.gone) {
      sendJson(res, 410, { error: "gone" });
      return true;
    }
    if (knobs.errorRate && random() < knobs.errorRate) {
      sendJson(res, 503, { error: "unavailable" });
      return true;
    }
    return false;
  }

  async function lookup(res: ServerResponse, slug: string, body: string, signed: { secret: string; id: string }) {
    let input: { number?: unknown; tenureStart?: unknown };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return sendJson(res, 400, { error: "invalid_json" });
    }
    const tenureStart = typeof input.tenureStart === "string" ? new Date(input.tenureStart) : null;
    if (typeof input.number !== "string" || !E164.test(input.number) || !tenureStart || Number.isNaN(tenureStart.getTime())) {
      return sendJson(res, 400, { error: "invalid_body" });
    }
    const createdAt = boundAt(slug, input.number);
    const status = !createdAt ? "not_bound" : createdAt < tenureStart ? "bound_before_tenure" : "bound_since_tenure";
    return sendJson(res, 200, { status }, signed);
  }

  /**
   * `POST /{slug}/unbind`: body, then attestation, then the knobs, then 202 — idempotent on
   * requestId (a repeat is answered 202 and schedules nothing).
   */
  async function unbindRequest(res: ServerResponse, platform: SandboxPlatform, body: string, knobs: PlatformKnobs, signed: { secret: string; id: string }) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return sendJson(res, 400, { error: "invalid_json" });
    }
    const parsed = unbindRequestSchema.safeParse(json);
    if (!parsed.success) return sendJson(res, 400, { error: "invalid_body" });
    const request = parsed.data;
    stats.unbinds[request.requestId] = (stats.unbinds[request.requestId] ?? 0) + 1;
    // Without Reclaim's keys or an address to report to, this platform cannot take unbinds.
    if (!jwks || !callbackUrl) return sendJson(res, 503, { error: "unavailable" });
    const attestation = await checkAttestation(platform.slug, request, jwks);
    if (attestation === "unavailable") return sendJson(res, 503, { error: "unavailable" });
    if (attestation === "bad") return sendJson(res, 401, { error: "bad_attestation" });
    if (await misbehave(res, knobs)) return;
    if (!acceptedRequests.has(request.requestId)) {
      acceptedRequests.add(request.requestId);
      scheduleCallback(platform.slug, signed.secret, callbackUrl, request, knobs);
    }
    return sendJson(res, 202, { status: "accepted" }, signed);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const [, slug, ...rest] = url.pathname.split("/");
    if (slug === "_control") return control(req, res, rest.join("/"));
    if (slug === "health") return sendJson(res, 200, { ok: true, platforms: platforms.size });
    const platform = slug ? platforms.get(slug) : undefined;
    if (!platform) return sendJson(res, 404, { error: "unknown_platform" });
    const path = `/${rest.join("/")}`;
    if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });

    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, { error: "body_too_large" });
    const key = `${slug} ${path}`;
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
    const verified = verify(platform.secret, req.headers, body, { now: now() });
    if (!verified.ok) {
      stats.rejectedSignatures++;
      return sendJson(res, 401, { error: "bad_signature", reason: verified.reason });
    }

    const knobs = platform.knobs;
    // Answers (and callbacks) are signed under the request's webhook-id; with a wrong secret on request.
    const signed = { secret: knobs.badSignature ? WRONG_SECRET : platform.secret, id: verified.id };
    if (path === "/unbind") return unbindRequest(res, platform, body, knobs, signed);
    if (path === "/wrong-party-reports") return wrongPartyReport(res, body, knobs, signed);
    if (await misbehave(res, knobs)) return;
    if (path === "/lookup") return lookup(res, platform.slug, body, signed);
    return sendJson(res, 404, { error: "unknown_endpoint" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: "internal" });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port, address } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    callbackUrl,
    setKnobs,
    reset,
    stats: () => structuredClone(stats),
    pendingCallbacks: () => pendingJobs.size,
    async close() {
      generation.abort();
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
