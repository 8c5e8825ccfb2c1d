import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { consents, lookupResults, lookups, owners, platforms, type LookupStatus, type Platform } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { openTenure } from "@/lib/tenure";
import { systemClock, type Clock } from "@/lib/clock";
import { callPartner, failureLabel, type PartnerEndpoint } from "./client";
import type { EgressPolicy } from "./egress";
import { env, type Env } from "@/lib/env";

/**
 * "Which platforms still have my number?": one look-up asks every active platform the owner
 * consented to, in parallel, and saves each answer as it arrives. A platform that has not answered
 * by the deadline is shown as "no answer yet" and asked again later; one that errs is
 * "unavailable". The others never wait for either.
 */

/** Bumped whenever the consent text (messages: lookup.consent) changes in substance. */
export const LOOKUP_CONSENT_VERSION = "2026-11-29";

export interface LookupConfig {
  /** After this, a platform that has not answered is shown as "no answer yet". */
  deadlineMs: number;
  /** One request is abandoned after this. */
  timeoutMs: number;
  /** A new look-up at most this often per owner. */
  minIntervalSeconds: number;
  /** Waits before asking a platform that timed out again; its length is the number of retries. */
  retryDelaysMs: number[];
}

/** The look-up settings (LOOKUP_* in lib/env.ts) and the retry schedule. */
export function lookupConfig(config: Pick<Env, "lookup"> = env()): LookupConfig {
  return { ...config.lookup, retryDelaysMs: [15_000, 60_000] };
}

const answerSchema = z.object({ status: z.enum(["bound_before_tenure", "bound_since_tenure", "not_bound"]) });

export type PlatformSummary = Pick<Platform, "id" | "slug" | "nameZh" | "nameEn" | "category" | "disclosure">;

/** The platforms an owner can be asked to consent to, in a stable order. */
export async function activePlatforms(db: Db): Promise<PlatformSummary[]> {
  return db
    .select({ id: platforms.id, slug: platforms.slug, nameZh: platforms.nameZh, nameEn: platforms.nameEn, category: platforms.category, disclosure: platforms.disclosure })
    .from(platforms)
    .where(eq(platforms.status, "active"))
    .orderBy(platforms.category, platforms.slug);
}

/** What calling a platform needs: select it wherever a platform is about to be called. */
export const partnerColumns = {
  id: platforms.id,
  slug: platforms.slug,
  baseUrl: platforms.baseUrl,
  sandbox: platforms.sandbox,
  signingSecrets: platforms.signingSecrets,
  status: platforms.status,
};

/**
 * Where a platform is called. Sandbox platforms follow SANDBOX_PARTNER_URL when it is set, so a
 * reference partner server on another port needs no re-seed.
 */
export function partnerEndpoint(
  platform: Pick<Platform, "slug" | "baseUrl" | "sandbox" | "signingSecrets">,
  config: Pick<Env, "SANDBOX_PARTNER_URL"> = env(),
): PartnerEndpoint {
  const sandboxBase = platform.sandbox && config.SANDBOX_PARTNER_URL ? `${config.SANDBOX_PARTNER_URL.replace(/\/+$/, "")}/${platform.slug}` : null;
  return { slug: platform.slug, baseUrl: sandboxBase ?? platform.baseUrl, signingSecrets: platform.signingSecrets };
}

export interface ConsentState {
  consent: { id: string; givenAt: Date; textVersion: string; platformIds: string[] } | null;
  /** Active platforms the consent does not cover (new since, or never agreed to). */
  uncovered: PlatformSummary[];
  platforms: PlatformSummary[];
}

export async function consentState(db: Db, ownerId: string, tenureId: string): Promise<ConsentState> {
  const [list, [consent]] = await Promise.all([
    activePlatforms(db),
    db
      .select({ id: consents.id, givenAt: consents.givenAt, textVersion: consents.textVersion, platformIds: consents.platformIds })
      .from(consents)
      .where(and(eq(consents.ownerId, ownerId), eq(consents.tenureId, tenureId), eq(consents.purpose, "platform_lookup"), isNull(consents.withdrawnAt)))
      .orderBy(desc(consents.givenAt))
      .limit(1),
  ]);
  const valid = consent && consent.textVersion === LOOKUP_CONSENT_VERSION ? consent : null;
  const covered = new Set(valid?.platformIds ?? []);
  return { consent: valid, uncovered: list.filter((p) => !covered.has(p.id)), platforms: list };
}

/**
 * Records the owner's separate consent to send their number to exactly these platforms (the ones
 * listed on the consent screen). Any earlier consent for the tenure is superseded.
 */
export async function giveConsent(db: Db, input: { ownerId: string; tenureId: string; platformIds: string[]; now: Date }) {
  const active = new Set((await activePlatforms(db)).map((p) => p.id));
  const platformIds = [...new Set(input.platformIds)].filter((id) => active.has(id));
  if (platformIds.length === 0) return { ok: false as const, error: "no_platforms" as const };
  const id = await db.transaction(async (tx) => {
    await tx
      .update(consents)
      .set({ withdrawnAt: input.now })
      .where(and(eq(consents.ownerId, input.ownerId), eq(consents.tenureId, input.tenureId), eq(consents.purpose, "platform_lookup"), isNull(consents.withdrawnAt)));
    const [row] = await tx
      .insert(consents)
      .values({ ownerId: input.ownerId, tenureId: input.tenureId, purpose: "platform_lookup", textVersion: LOOKUP_CONSENT_VERSION, platformIds, givenAt: input.now })
      .returning({ id: consents.id });
    await recordAudit(tx, { actorType: "owner", actorId: input.ownerId, action: "consent.given", subjectType: "consent", subjectId: row!.id, metadata: { purpose: "platform_lookup", version: LOOKUP_CONSENT_VERSION, platforms: platformIds.length } });
    return row!.id;
  });
  return { ok: true as const, id };
}

/**
 * "Agree and check" in one step: the consent is recorded first, as its own committed row (and
 * `consent.given` in the audit log), and only then is the look-up started under it. A look-up
 * within the minute (a consent re-given to include new platforms) is left for later.
 */
export async function giveConsentAndStartLookup(
  db: Db,
  input: { ownerId: string; tenureId: string; number: string; platformIds: string[]; now: Date; config?: LookupConfig },
): Promise<{ consent: Awaited<ReturnType<typeof giveConsent>>; lookup: StartLookupResult | null }> {
  const consent = await giveConsent(db, input);
  if (!consent.ok) return { consent, lookup: null };
  return { consent, lookup: await startLookup(db, { ownerId: input.ownerId, number: input.number, now: input.now, config: input.config }) };
}

export async function withdrawConsent(db: Db, input: { ownerId: string; tenureId: string; now: Date }): Promise<number> {
  const withdrawn = await db
    .update(consents)
    .set({ withdrawnAt: input.now })
    .where(and(eq(consents.ownerId, input.ownerId), eq(consents.tenureId, input.tenureId), eq(consents.purpose, "platform_lookup"), isNull(consents.withdrawnAt)))
    .returning({ id: consents.id });
  for (const row of withdrawn) {
    await recordAudit(db, { actorType: "owner", actorId: input.ownerId, action: "consent.withdrawn", subjectType: "consent", subjectId: row.id });
  }
  return withdrawn.length;
}

export type StartLookupResult =
  | { ok: true; lookupId: string; platformIds: string[]; startedAt: Date }
  | { ok: false; error: "no_tenure" | "no_consent" }
  | { ok: false; error: "too_soon"; retryAfterSeconds: number };

/**
 * Creates a look-up with one pending row per consented, active platform. At most one per owner per
 * `minIntervalSeconds`: the owner row is locked while checking, so two clicks at once make one.
 */
export async function startLookup(
  db: Db,
  input: { ownerId: string; number: string; now: Date; config?: LookupConfig },
): Promise<StartLookupResult> {
  const config = input.config ?? lookupConfig();
  const tenure = await openTenure(db, input.number);
  if (!tenure) return { ok: false, error: "no_tenure" };
  const state = await consentState(db, input.ownerId, tenure.id);
  if (!state.consent) return { ok: false, error: "no_consent" };
  const covered = new Set(state.consent.platformIds);
  const platformIds = state.platforms.filter((p) => covered.has(p.id)).map((p) => p.id);
  if (platformIds.length === 0) return { ok: false, error: "no_consent" };

  return db.transaction(async (tx) => {
    await tx.select({ id: owners.id }).from(owners).where(eq(owners.id, input.ownerId)).for("update");
    const [last] = await tx
      .select({ startedAt: lookups.startedAt })
      .from(lookups)
      .where(eq(lookups.ownerId, input.ownerId))
      .orderBy(desc(lookups.startedAt))
      .limit(1);
    const waitMs = last ? last.startedAt.getTime() + config.minIntervalSeconds * 1000 - input.now.getTime() : 0;
    if (waitMs > 0) return { ok: false as const, error: "too_soon" as const, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const [lookup] = await tx
      .insert(lookups)
      .values({ ownerId: input.ownerId, tenureId: tenure.id, tenureStart: tenure.startedAt, startedAt: input.now })
      .returning({ id: lookups.id });
    await tx.insert(lookupResults).values(platformIds.map((platformId) => ({ lookupId: lookup!.id, platformId, nextAttemptAt: input.now })));
    await recordAudit(tx, { actorType: "owner", actorId: input.ownerId, action: "lookup.started", subjectType: "lookup", subjectId: lookup!.id, metadata: { platforms: platformIds.length } });
    return { ok: true as const, lookupId: lookup!.id, platformIds, startedAt: input.now };
  });
}

export interface ResultEvent {
  platformId: string;
  status: LookupStatus;
  latencyMs: number | null;
}

export interface RunOptions {
  config?: LookupConfig;
  clock?: Clock;
  policy?: EgressPolicy;
  env?: Pick<Env, "SANDBOX_PARTNER_URL">;
  onResult?: (event: ResultEvent) => void;
}

/**
 * Asks every platform of a look-up whose turn it is (pending, due, not held by another worker)
 * and saves each answer the moment it arrives. Safe to run from several places at once: rows are
 * claimed with a lease. Resolves when every claimed platform has answered or given up.
 */
export async function runLookup(db: Db, lookupId: string, options: RunOptions = {}): Promise<void> {
  const config = options.config ?? lookupConfig();
  const clock = options.clock ?? systemClock;
  const now = clock.now();
  const leaseUntil = new Date(now.getTime() + config.timeoutMs + 5_000);
  const claimed = await db
    .update(lookupResults)
    .set({ leaseUntil, attempts: sql`${lookupResults.attempts} + 1` })
    .where(
      and(
        eq(lookupResults.lookupId, lookupId),
        eq(lookupResults.status, "pending"),
        lte(lookupResults.nextAttemptAt, now),
        or(isNull(lookupResults.leaseUntil), lte(lookupResults.leaseUntil, now)),
      ),
    )
    .returning({ platformId: lookupResults.platformId, attempts: lookupResults.attempts });
  if (claimed.length === 0) return;

  const [context] = await db
    .select({ number: owners.number, tenureStart: lookups.tenureStart })
    .from(lookups)
    .innerJoin(owners, eq(owners.id, lookups.ownerId))
    .where(eq(lookups.id, lookupId));
  if (!context) return;
  const targets = await db
    .select(partnerColumns)
    .from(platforms)
    .where(inArray(platforms.id, claimed.map((c) => c.platformId)));
  const payload = { number: context.number, tenureStart: context.tenureStart.toISOString() };

  await Promise.all(
    claimed.map(async ({ platformId, attempts }) => {
      const platform = targets.find((t) => t.id === platformId)!;
      if (platform.status !== "active") {
        // Paused or disabled since the look-up started (e.g. between retries): not asked again.
        await db
          .update(lookupResults)
          .set({ status: "unavailable", error: `platform_${platform.status}`, answeredAt: clock.now(), nextAttemptAt: null, leaseUntil: null })
          .where(and(eq(lookupResults.lookupId, lookupId), eq(lookupResults.platformId, platformId)));
        options.onResult?.({ platformId, status: "unavailable", latencyMs: null });
        return;
      }
      const result = await callPartner(partnerEndpoint(platform, options.env), "/lookup", payload, {
        timeoutMs: config.timeoutMs,
        policy: options.policy,
        verifyAnswer: true,
      });
      const answered = clock.now();
      let update: Partial<typeof lookupResults.$inferInsert>;
      const parsed = result.ok ? answerSchema.safeParse(result.body) : null;
      if (result.ok && parsed?.success) {
        update = { status: parsed.data.status, latencyMs: result.latencyMs, answeredAt: answered, error: null, nextAttemptAt: null };
      } else if (!result.ok && result.error === "timeout" && attempts <= config.retryDelaysMs.length) {
        update = { error: "timeout", nextAttemptAt: new Date(answered.getTime() + config.retryDelaysMs[attempts - 1]!) };
      } else {
        update = { status: "unavailable", latencyMs: result.latencyMs, answeredAt: answered, error: result.ok ? "invalid_answer" : failureLabel(result), nextAttemptAt: null };
      }
      await db
        .update(lookupResults)
        .set({ ...update, leaseUntil: null })
        .where(and(eq(lookupResults.lookupId, lookupId), eq(lookupResults.platformId, platformId)));
      options.onResult?.({
        platformId,
        status: update.status ?? "pending",
        latencyMs: update.latencyMs ?? null,
      });
    }),
  );

  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(lookupResults)
    .where(and(eq(lookupResults.lookupId, lookupId), eq(lookupResults.status, "pending")));
  if (Number(open?.n ?? 0) === 0) {
    await db.update(lookups).set({ completedAt: clock.now() }).where(and(eq(lookups.id, lookupId), isNull(lookups.completedAt)));
  }
}

/** Look-ups with a platform due to be asked again; a worker or a page view runs them. */
export async function dueLookups(db: Db, now: Date, limit = 50): Promise<string[]> {
  const rows = await db
    .selectDistinct({ lookupId: lookupResults.lookupId })
    .from(lookupResults)
    .where(and(eq(lookupResults.status, "pending"), lte(lookupResults.nextAttemptAt, now), or(isNull(lookupResults.leaseUntil), lte(lookupResults.leaseUntil, now))))
    .limit(limit);
  return rows.map((r) => r.lookupId);
}

export interface LookupView {
  id: string;
  startedAt: Date;
  completedAt: Date | null;
  tenureStart: Date;
  results: { platformId: string; status: LookupStatus; latencyMs: number | null; answeredAt: Date | null }[];
}

/** The owner's most recent look-up in their current tenure (or the one asked for), with results. */
export async function ownerLookup(db: Db, input: { ownerId: string; tenureId: string; lookupId?: string }): Promise<LookupView | null> {
  const [lookup] = await db
    .select({ id: lookups.id, startedAt: lookups.startedAt, completedAt: lookups.completedAt, tenureStart: lookups.tenureStart })
    .from(lookups)
    .where(and(eq(lookups.ownerId, input.ownerId), eq(lookups.tenureId, input.tenureId), input.lookupId ? eq(lookups.id, input.lookupId) : undefined))
    .orderBy(desc(lookups.startedAt))
    .limit(1);
  if (!lookup) return null;
  const results = await db
    .select({
      platformId: lookupResults.platformId,
      status: lookupResults.status,
      latencyMs: lookupResults.latencyMs,
      answeredAt: lookupResults.answeredAt,
    })
    .from(lookupResults)
    .where(eq(lookupResults.lookupId, lookup.id));
  return { ...lookup, results };
}

/**
 * What the owner's page gets: the enum per platform and whether the deadline has passed by the
 * server's clock (so a platform still out reads "no answer yet" rather than "asking").
 */
export function panelLookup(view: LookupView, { now = systemClock.now(), deadlineMs = lookupConfig().deadlineMs } = {}) {
  return {
    id: view.id,
    startedAt: view.startedAt.toISOString(),
    overdue: now.getTime() - view.startedAt.getTime() > deadlineMs,
    results: view.results.map(({ platformId, status }) => ({ platformId, status })),
  };
}
