/** The OTP policy in one place: the numbers the issue and the README quote. */
export const OTP_POLICY = {
  ttlMs: 10 * 60_000,
  maxAttemptsPerCode: 5,
  /** Wrong codes per number, across resends, before the number is locked. */
  failuresBeforeLock: 10,
  failureWindowMs: 60 * 60_000,
  lockMs: 60 * 60_000,
  resendIntervalMs: 60_000,
  sendsPerNumberPerHour: 5,
  sendsPerNumberPerDay: 10,
  sendsPerIpPerHour: 20,
  /** Unbind requests need a code verified this recently (issue #5 uses it). */
  reverifyAfterMs: 15 * 60_000,
  /** Challenges are kept this long after they expire, then deleted. */
  retentionMs: 24 * 60 * 60_000,
} as const;

export const TERMS_VERSION = "2026-11-28";
