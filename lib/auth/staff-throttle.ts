import type { Db } from "@/db";
import { block, blockedFor, consumeAll, increment } from "@/lib/rate-limit";

/**
 * Staff password guessing, limited so that it hurts the guesser and not the account or the service
 * (docs/sign-in.md "Staff sign-in"):
 * - before any hashing, attempts are limited per client address and across the service, so a
 *   crowd of clients cannot keep the CPU busy with scrypt and slow every other request;
 * - at most `hashConcurrency` hashes run at once and `hashQueue` wait; beyond that an attempt is
 *   refused at once ("busy") instead of piling up;
 * - wrong passwords lock the (account, address) pair, not the account: ten guesses from ten
 *   addresses no longer lock a named colleague out;
 * - many failures for one account from anywhere close it to addresses it has never signed in
 *   from, for an hour; an address the account signed in from in the last 30 days (the real person's
 *   office or phone) keeps going — the slower path is the attacker's. The second factor of the
 *   agent console issue comes on top.
 */
export const STAFF_THROTTLE = {
  perAddress: { max: 30, windowMs: 15 * 60_000 },
  global: { max: 120, windowMs: 60_000 },
  pairFailures: 10,
  pairWindowMs: 15 * 60_000,
  pairLockMs: 15 * 60_000,
  accountFailures: 50,
  accountWindowMs: 60 * 60_000,
  accountLockMs: 60 * 60_000,
  knownAddressMs: 30 * 24 * 60 * 60_000,
  hashConcurrency: 2,
  hashQueue: 32,
  /** Attempts being checked at once in this process (limit lookups + hashing); more are refused without touching the database. */
  attemptsInFlight: 16,
} as const;

export type Admission = { ok: true } | { ok: false; reason: "rate_limited" | "busy"; retryAfterMs: number };

/** `who` and `address` are pseudonyms (HMACs) of the email and the client address, never clear text. */
export interface AttemptKeys {
  who: string;
  address: string;
}

const keys = ({ who, address }: AttemptKeys) => ({
  perAddress: `staff:addr:${address}`,
  global: "staff:global",
  pairFail: `staff:fail:${who}:${address}`,
  pairLock: `staff:lock:${who}:${address}`,
  accountFail: `staff:fail:${who}`,
  accountLock: `staff:lock:${who}`,
  known: `staff:known:${who}:${address}`,
});

/** Counts the attempt against the address and the service, or refuses it before any hashing. */
export async function admitAttempt(db: Db, attempt: AttemptKeys, now: Date): Promise<Admission> {
  const k = keys(attempt);
  const decision = await consumeAll(
    db,
    [
      { key: k.perAddress, ...STAFF_THROTTLE.perAddress },
      { key: k.global, ...STAFF_THROTTLE.global },
    ],
    now,
  );
  return decision.allowed ? { ok: true } : { ok: false, reason: "rate_limited", retryAfterMs: decision.retryAfterMs };
}

/** Whether this attempt may succeed at all: its (account, address) pair or, for a new address, the account is locked. */
export async function attemptLocked(db: Db, attempt: AttemptKeys, now: Date): Promise<boolean> {
  const k = keys(attempt);
  if ((await blockedFor(db, k.pairLock, now)) > 0) return true;
  if ((await blockedFor(db, k.accountLock, now)) === 0) return false;
  return (await blockedFor(db, k.known, now)) === 0;
}

export async function recordFailure(db: Db, attempt: AttemptKeys, now: Date): Promise<void> {
  const k = keys(attempt);
  const pair = await increment(db, { key: k.pairFail, windowMs: STAFF_THROTTLE.pairWindowMs }, now);
  if (pair >= STAFF_THROTTLE.pairFailures) await block(db, k.pairLock, new Date(now.getTime() + STAFF_THROTTLE.pairLockMs), now);
  const account = await increment(db, { key: k.accountFail, windowMs: STAFF_THROTTLE.accountWindowMs }, now);
  if (account >= STAFF_THROTTLE.accountFailures) await block(db, k.accountLock, new Date(now.getTime() + STAFF_THROTTLE.accountLockMs), now);
}

/** A successful sign-in makes the address a known one for this account for 30 days. */
export async function recordSuccess(db: Db, attempt: AttemptKeys, now: Date): Promise<void> {
  await block(db, keys(attempt).known, new Date(now.getTime() + STAFF_THROTTLE.knownAddressMs), now);
}

/** Thrown when the hashing queue is full: the attempt is refused at once. */
export class HashingBusy extends Error {
  constructor() {
    super("password hashing is at capacity");
    this.name = "HashingBusy";
  }
}

/** Runs at most `limit` tasks at once with at most `queue` waiting; more are refused with HashingBusy. */
export function concurrencyLimit(limit: number, queue: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= limit) {
        if (waiting.length >= queue) throw new HashingBusy();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        // The slot passes straight to the next waiter; otherwise it is freed.
        if (next) next();
        else running--;
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}

const globalForHashing = globalThis as unknown as { __reclaimHashing?: ReturnType<typeof concurrencyLimit> };

/** The process-wide limit on concurrent password hashing. */
export function hashingSlots() {
  globalForHashing.__reclaimHashing ??= concurrencyLimit(STAFF_THROTTLE.hashConcurrency, STAFF_THROTTLE.hashQueue);
  return globalForHashing.__reclaimHashing;
}

const globalForAttempts = globalThis as unknown as { __reclaimStaffAttempts?: ReturnType<typeof concurrencyLimit> };

/**
 * The process-wide limit on sign-in attempts being checked at once, with no queue: a flood is
 * refused in memory before it reaches the database, whose limit rows would otherwise queue every
 * other request behind it (PGlite has one connection; Postgres locks the limit rows).
 */
export function attemptSlots() {
  globalForAttempts.__reclaimStaffAttempts ??= concurrencyLimit(STAFF_THROTTLE.attemptsInFlight, 0);
  return globalForAttempts.__reclaimStaffAttempts;
}

/**
 * The second factor: whoever reaches it has the password, so wrong codes (or replayed ones) count
 * per account, and lock the code step for a while — a million codes are not guessed at ten per
 * quarter hour.
 */
export const SECOND_FACTOR_THROTTLE = { failures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

const secondFactorKeys = (staffId: string) => ({ fail: `staff:2fa-fail:${staffId}`, lock: `staff:2fa-lock:${staffId}` });

export async function secondFactorLocked(db: Db, staffId: string, now: Date): Promise<boolean> {
  return (await blockedFor(db, secondFactorKeys(staffId).lock, now)) > 0;
}

export async function recordSecondFactorFailure(db: Db, staffId: string, now: Date): Promise<void> {
  const k = secondFactorKeys(staffId);
  const failures = await increment(db, { key: k.fail, windowMs: SECOND_FACTOR_THROTTLE.windowMs }, now);
  if (failures >= SECOND_FACTOR_THROTTLE.failures) await block(db, k.lock, new Date(now.getTime() + SECOND_FACTOR_THROTTLE.lockMs), now);
}
