/** The OTP policy in one place: the numbers the issue and the README quote. */
/**
 * Limits count per (number, source) — the source is the browser's device cookie, or the client
 * address where there is none — so one attacker's sends and guesses use up their own allowance, not
 * the real owner's. Number-wide budgets bound what many sources together can do; a device that has
 * signed in with the number before is exempt from them (docs/sign-in.md, "Limits that do not lock
 * the owner out").
 */
export const OTP_POLICY = {
  ttlMs: 10 * 60_000,
  maxAttemptsPerCode: 5,
  /** Wrong codes per (number, source), across resends, before that source is locked out of the number. */
  failuresBeforeLock: 10,
  failureWindowMs: 60 * 60_000,
  lockMs: 60 * 60_000,
  /** Wrong codes per number from all sources before the number is closed to unknown devices. */
  numberFailuresBeforeLock: 30,
  resendIntervalMs: 60_000,
  /** Between any two codes to one number, whoever asks: no burst of texts from many sources at once. */
  numberGapMs: 10_000,
  /** Per (number, source). */
  sendsPerNumberPerHour: 5,
  sendsPerNumberPerDay: 10,
  /** Per number from all sources except devices it signed in with before: the bounded daily budget. */
  sendsPerNumberPerDayAllSources: 30,
  sendsPerIpPerHour: 20,
  /** A device is "known" to a number for this long after it last verified a code for it. */
  knownDeviceMs: 90 * 24 * 60 * 60_000,
  /** Unbind requests need a code verified this recently (issue #5 uses it). */
  reverifyAfterMs: 15 * 60_000,
  /** Challenges are kept this long after they expire, then deleted. */
  retentionMs: 24 * 60 * 60_000,
} as const;

export const TERMS_VERSION = "2026-11-28";
