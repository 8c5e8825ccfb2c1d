import { platformSeed, sandboxSigningSecret } from "../../db/seed-data";
import type { Bindings, NumberScope, PartnerStats, PlatformKnobs, SandboxPlatform } from "./types";

/**
 * What the reference partner server remembers: each platform's knobs, the account records it
 * holds per number, the counts tests read, the ids it has accepted, and the callbacks still to
 * send. Knobs, records, counts and pending callbacks can also be kept per number, so that tests
 * running side by side — each on its own number — never see one another's.
 */

export function seededSandboxPlatforms(): SandboxPlatform[] {
  return platformSeed.map((p) => ({ slug: p.slug, secret: sandboxSigningSecret(p.slug) }));
}

export const emptyStats = (): PartnerStats => ({
  requests: {},
  rejectedSignatures: 0,
  unbinds: {},
  callbacks: { sent: 0, failed: 0, statuses: {} },
  reports: {},
  reportCallbacks: { sent: 0, failed: 0, statuses: {} },
  events: {},
});

type Platform = SandboxPlatform & { knobs: PlatformKnobs };

export class PartnerState {
  readonly platforms: Map<string, Platform>;
  private readonly initialKnobs: Map<string, PlatformKnobs>;
  private readonly initialBindings: Bindings;
  private bindings: Bindings;
  /** number → slug (or "*") → the knobs for requests about that number. */
  private numberKnobs = new Map<string, Map<string, PlatformKnobs>>();
  private totals = emptyStats();
  private perNumber = new Map<string, PartnerStats>();
  /** requestIds and reportIds answered 202 (idempotency), and attestation ids seen → their requestId and expiry. */
  acceptedRequests = new Set<string>();
  acceptedReports = new Set<string>();
  /** `slug webhook-id` of events taken: a redelivery is answered 202 and not applied again. */
  acceptedEvents = new Set<string>();
  seenJtis = new Map<string, { requestId: string; exp: number }>();
  /** Aborted by reset() and close(): every callback scheduled before it is dropped. */
  private generation = new AbortController();
  private numberGenerations = new Map<string, AbortController>();
  private pendingJobs = new Set<symbol>();

  constructor(platforms: SandboxPlatform[], bindings: Bindings) {
    this.platforms = new Map(platforms.map((p) => [p.slug, { ...p, knobs: structuredClone(p.knobs ?? {}) }]));
    this.initialKnobs = new Map([...this.platforms].map(([slug, p]) => [slug, structuredClone(p.knobs)]));
    this.initialBindings = structuredClone(bindings);
    this.bindings = structuredClone(bindings);
  }

  /** The knobs in force for a request to `slug` about `number`: the number's own, else the platform's. */
  knobsFor(slug: string, number: string | undefined): PlatformKnobs {
    const own = number ? this.numberKnobs.get(number) : undefined;
    return own?.get(slug) ?? own?.get("*") ?? this.platforms.get(slug)?.knobs ?? {};
  }

  /** Replaces knobs (never merges): a platform's, every platform's (`"*"`), or only for one number's requests. */
  setKnobs(slug: string, knobs: PlatformKnobs, { number }: NumberScope = {}) {
    if (number) {
      const own = this.numberKnobs.get(number) ?? new Map<string, PlatformKnobs>();
      if (slug === "*") own.clear();
      if (slug === "*" || this.platforms.has(slug)) own.set(slug, structuredClone(knobs));
      this.numberKnobs.set(number, own);
      return;
    }
    for (const [s, p] of this.platforms) if (slug === "*" || s === slug) p.knobs = structuredClone(knobs);
  }

  /** Replaces the account records of one number (slug → when the account was created). */
  setBindings(number: string, accounts: Record<string, string>) {
    if (Object.keys(accounts).length === 0) delete this.bindings[number];
    else this.bindings[number] = structuredClone(accounts);
  }

  /** When this platform's account on the number was created, if it has one. */
  boundAt(slug: string, number: string): Date | undefined {
    const createdAt = this.bindings[number]?.[slug];
    return createdAt ? new Date(createdAt) : undefined;
  }

  /** An unbind took effect: the platform's account leaves the number's records. */
  unbind(slug: string, number: string) {
    const accounts = this.bindings[number];
    if (!accounts) return;
    delete accounts[slug];
    if (Object.keys(accounts).length === 0) delete this.bindings[number];
  }

  /** Counts into the totals and, when the request named a number, into that number's stats too. */
  count(number: string | undefined, update: (stats: PartnerStats) => void) {
    update(this.totals);
    if (!number) return;
    let own = this.perNumber.get(number);
    if (!own) this.perNumber.set(number, (own = emptyStats()));
    update(own);
  }

  stats({ number }: NumberScope = {}): PartnerStats {
    return structuredClone(number ? (this.perNumber.get(number) ?? emptyStats()) : this.totals);
  }

  /**
   * A callback job about `number`: its signal aborts on a reset (of everything, or of that number)
   * and on close; `done` takes it off the pending count.
   */
  startJob(number: string, name: string): { signal: AbortSignal; done: () => void } {
    let own = this.numberGenerations.get(number);
    if (!own) this.numberGenerations.set(number, (own = new AbortController()));
    const jobs = this.pendingJobs;
    const job = Symbol(name);
    jobs.add(job);
    return { signal: AbortSignal.any([this.generation.signal, own.signal]), done: () => jobs.delete(job) };
  }

  pendingCallbacks(): number {
    return this.pendingJobs.size;
  }

  reset({ number }: NumberScope = {}) {
    if (number) {
      const initial = this.initialBindings[number];
      if (initial) this.bindings[number] = structuredClone(initial);
      else delete this.bindings[number];
      this.numberKnobs.delete(number);
      this.perNumber.delete(number);
      this.numberGenerations.get(number)?.abort();
      this.numberGenerations.delete(number);
      return;
    }
    for (const [slug, p] of this.platforms) p.knobs = structuredClone(this.initialKnobs.get(slug) ?? {});
    this.bindings = structuredClone(this.initialBindings);
    this.numberKnobs = new Map();
    this.totals = emptyStats();
    this.perNumber = new Map();
    this.acceptedRequests = new Set();
    this.acceptedReports = new Set();
    this.acceptedEvents = new Set();
    this.seenJtis = new Map();
    this.abortAll();
    this.pendingJobs = new Set();
  }

  /** Drops every pending callback (reset and close). */
  abortAll() {
    this.generation.abort();
    this.generation = new AbortController();
    for (const own of this.numberGenerations.values()) own.abort();
    this.numberGenerations = new Map();
  }
}
