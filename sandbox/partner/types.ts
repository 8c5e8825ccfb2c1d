import type { JSONWebKeySet } from "jose";

/** The types of the reference partner server's API (`startPartnerServer`, the `/_control` endpoints). */

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

/** number → slug → when that platform's account on the number was created (ISO). */
export type Bindings = Record<string, Record<string, string>>;

export interface PartnerServerOptions {
  port?: number;
  host?: string;
  /** Defaults to the seeded sandbox platforms with their derived secrets. */
  platforms?: SandboxPlatform[];
  /**
   * number → slug → when that platform's account on the number was created (ISO). Copied: unbinds
   * change the server's copy, never the object given (nor the seed).
   */
  bindings?: Bindings;
  /**
   * Reclaim's `unbind-results` URL, where outcomes are reported. Without one, unbind requests and
   * wrong-party reports are answered 503 (nowhere to report to). `npm run partner` takes it from
   * the environment (`partnerOptionsFromEnv`).
   */
  callbackUrl?: string;
  /**
   * Reclaim's public keys, to verify attestations: a JWKS URL, or the key set itself. Default:
   * `/.well-known/jwks.json` at Reclaim's base (derived from the callback URL). Without one, unbind
   * requests are answered 503.
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
  reports: Record<string, { deliveries: number; category: string; text: string; sender?: string; tenureStart: string; repeatOf?: string }>;
  /** Callbacks to `report-results`, counted as `callbacks` is. */
  reportCallbacks: { sent: number; failed: number; statuses: Record<string, number> };
  /**
   * Events received (`POST /{slug}/events`), per `webhook-id`: which platform, the type and `at`,
   * and how often it was delivered (a redelivery under the same id counts, and is taken once).
   */
  events: Record<string, { slug: string; type: string; at: string; deliveries: number }>;
}

/**
 * Narrows a knob, stats or reset call to one number: what concerns requests whose body names that
 * number. Specs that run side by side each use their own number, so they never see each other's
 * knobs or counts.
 */
export interface NumberScope {
  number?: string;
}

export interface PartnerServer {
  url: string;
  port: number;
  /** Where unbind outcomes are reported, if anywhere. */
  callbackUrl: string | undefined;
  /** Replaces a platform's knobs (`"*"`: every platform's); with a number, only for requests about that number. */
  setKnobs(slug: string | "*", knobs: PlatformKnobs, scope?: NumberScope): void;
  /** Replaces the account records the platforms hold for one number (`{}`: none). */
  setBindings(number: string, accounts: Record<string, string>): void;
  /**
   * Restores the start-up knobs and account records, zeroes the stats, drops pending callbacks and
   * forgets seen requestIds. With a number: only that number's knobs, records, stats and pending
   * callbacks.
   */
  reset(scope?: NumberScope): void;
  /** A snapshot of the counts; with a number, of the requests about that number only. */
  stats(scope?: NumberScope): PartnerStats;
  /** Unbind callbacks accepted but not yet finished (waiting out their delay, or being delivered). */
  pendingCallbacks(): number;
  /** Cancels pending callbacks, drops open connections, stops listening. */
  close(): Promise<void>;
}
