import { inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { rateLimits } from "@/db/schema";

/**
 * Fixed-window limits kept in the database, so they hold across instances and restarts.
 * `key` must not contain personal data in clear (callers pass an HMAC of a number or an IP).
 */
export interface LimitRule {
  key: string;
  max: number;
  windowMs: number;
}

export type LimitDecision = { allowed: true } | { allowed: false; key: string; retryAfterMs: number };

async function lockRows(tx: Tx, rules: LimitRule[], now: Date) {
  await tx
    .insert(rateLimits)
    .values(rules.map((r) => ({ key: r.key, count: 0, windowStart: now, windowEnd: new Date(now.getTime() + r.windowMs) })))
    .onConflictDoNothing({ target: rateLimits.key });
  // Row locks make concurrent consumers of the same keys take turns.
  const rows = await tx
    .select()
    .from(rateLimits)
    .where(inArray(rateLimits.key, rules.map((r) => r.key)))
    .orderBy(rateLimits.key)
    .for("update");
  return new Map(rows.map((row) => [row.key, row]));
}

/**
 * Takes one unit from every rule, or from none: if any rule (or a block on its key) refuses, nothing
 * is consumed and the longest wait is returned.
 */
export async function consumeAll(db: Db, rules: LimitRule[], now: Date): Promise<LimitDecision> {
  return db.transaction(async (tx) => {
    const rows = await lockRows(tx, rules, now);
    let denied: { key: string; retryAfterMs: number } | undefined;
    for (const rule of rules) {
      const row = rows.get(rule.key)!;
      const expired = row.windowEnd.getTime() <= now.getTime();
      const blockedMs = row.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0;
      const retryAfterMs = Math.max(blockedMs, !expired && row.count + 1 > rule.max ? row.windowEnd.getTime() - now.getTime() : 0);
      if (retryAfterMs > 0 && (!denied || retryAfterMs > denied.retryAfterMs)) denied = { key: rule.key, retryAfterMs };
    }
    if (denied) return { allowed: false, ...denied };
    for (const rule of rules) {
      const row = rows.get(rule.key)!;
      const expired = row.windowEnd.getTime() <= now.getTime();
      await tx
        .update(rateLimits)
        .set(
          expired
            ? { count: 1, windowStart: now, windowEnd: new Date(now.getTime() + rule.windowMs) }
            : { count: sql`${rateLimits.count} + 1` },
        )
        .where(inArray(rateLimits.key, [rule.key]));
    }
    return { allowed: true };
  });
}

/** Counts one event (never refuses) and returns the count in the current window. */
export async function increment(db: Db, rule: Omit<LimitRule, "max">, now: Date): Promise<number> {
  const windowEnd = new Date(now.getTime() + rule.windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key: rule.key, count: 1, windowStart: now, windowEnd })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowEnd} <= ${now} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowEnd} <= ${now} then ${now} else ${rateLimits.windowStart} end`,
        windowEnd: sql`case when ${rateLimits.windowEnd} <= ${now} then ${windowEnd} else ${rateLimits.windowEnd} end`,
      },
    })
    .returning({ count: rateLimits.count });
  return row!.count;
}

/** Refuses everything on `key` until `until` (consumeAll and blockedFor honour it). */
export async function block(db: Db, key: string, until: Date, now: Date): Promise<void> {
  await db
    .insert(rateLimits)
    .values({ key, count: 0, windowStart: now, windowEnd: until, blockedUntil: until })
    .onConflictDoUpdate({ target: rateLimits.key, set: { blockedUntil: until } });
}

/** Milliseconds left on a block of `key`, or 0. */
export async function blockedFor(db: Db, key: string, now: Date): Promise<number> {
  const [row] = await db.select({ blockedUntil: rateLimits.blockedUntil }).from(rateLimits).where(inArray(rateLimits.key, [key]));
  return Math.max(0, (row?.blockedUntil?.getTime() ?? 0) - now.getTime());
}
