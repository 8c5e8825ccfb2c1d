import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { admitAttempt, attemptLocked, concurrencyLimit, HashingBusy, recordFailure, recordSuccess, STAFF_THROTTLE } from "./staff-throttle";

describe("staff sign-in throttle", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.dispose());
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 9, 0) + minutes * 60_000);

  it("limits attempts per address before any hashing, and other addresses still get in", async () => {
    const attempt = { who: "acct-a", address: "addr-1" };
    for (let i = 0; i < STAFF_THROTTLE.perAddress.max; i++) expect(await admitAttempt(t.db, attempt, at(0))).toEqual({ ok: true });
    expect(await admitAttempt(t.db, attempt, at(0))).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await admitAttempt(t.db, { who: "acct-a", address: "addr-2" }, at(0))).toEqual({ ok: true });
  });

  it("limits attempts across the service per minute", async () => {
    let admitted = 0;
    for (let i = 0; i < STAFF_THROTTLE.global.max + 5; i++) {
      if ((await admitAttempt(t.db, { who: `acct-${i}`, address: `spread-${i}` }, at(30))).ok) admitted++;
    }
    expect(admitted).toBe(STAFF_THROTTLE.global.max);
    expect(await admitAttempt(t.db, { who: "x", address: "fresh" }, at(31.5))).toEqual({ ok: true });
  });

  it("ten wrong passwords from ten addresses do not lock the account; ten from one address lock that pair only", async () => {
    for (let i = 0; i < 10; i++) await recordFailure(t.db, { who: "colleague", address: `attacker-${i}` }, at(60));
    expect(await attemptLocked(t.db, { who: "colleague", address: "office" }, at(60))).toBe(false);
    for (let i = 0; i < STAFF_THROTTLE.pairFailures; i++) await recordFailure(t.db, { who: "colleague", address: "attacker-0" }, at(61));
    expect(await attemptLocked(t.db, { who: "colleague", address: "attacker-0" }, at(61))).toBe(true);
    expect(await attemptLocked(t.db, { who: "colleague", address: "office" }, at(61))).toBe(false);
    expect(await attemptLocked(t.db, { who: "colleague", address: "attacker-0" }, at(61 + 16))).toBe(false);
  });

  it("a flood of failures closes the account to new addresses but not to one it signed in from", async () => {
    await recordSuccess(t.db, { who: "target", address: "home" }, at(100));
    for (let i = 0; i < STAFF_THROTTLE.accountFailures; i++) await recordFailure(t.db, { who: "target", address: `bot-${i % 40}` }, at(120));
    expect(await attemptLocked(t.db, { who: "target", address: "bot-new" }, at(121))).toBe(true);
    expect(await attemptLocked(t.db, { who: "target", address: "home" }, at(121))).toBe(false);
    expect(await attemptLocked(t.db, { who: "target", address: "bot-new" }, at(121 + 61))).toBe(false);
  });
});

describe("concurrencyLimit", () => {
  it("runs at most `limit` at once, queues up to `queue`, refuses the rest at once", async () => {
    const slots = concurrencyLimit(2, 2);
    let peak = 0;
    let running = 0;
    const releases: Array<() => void> = [];
    const task = () =>
      slots.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    const started = [task(), task(), task(), task()];
    await expect(task()).rejects.toBeInstanceOf(HashingBusy);
    while (releases.length || slots.stats().running) {
      await new Promise((r) => setTimeout(r, 1));
      releases.shift()?.();
    }
    await Promise.all(started);
    expect(peak).toBe(2);
    expect(slots.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
