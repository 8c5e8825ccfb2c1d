import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db";
import { otpChallenges, rateLimits } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { OTP_POLICY } from "./config";
import { challengeById } from "./queries";
import { needsReverification, otpSmsText, requestCode, verifyCode, type OtpDeps } from "./service";
import { recordingSms } from "./testing";

const SECRET = "test-secret-for-otp-0123456789abcdef";
const MIN = 60_000;
let seq = 0;
/** A fresh number per test, so limits from one test never leak into another. */
const freshNumber = () => `+861380000${String(1000 + ++seq).slice(-4)}`;

describe(`one-time codes (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let t: TestDatabase;
  let deps: OtpDeps & { clock: ReturnType<typeof fakeClock>; sms: ReturnType<typeof recordingSms> };
  const send = (number: string, ip = "203.0.113.7", device?: string) =>
    requestCode(deps, { number, purpose: "sign_in", locale: "zh-CN", ip, device, termsVersion: "v1" });
  const verify = (challengeId: string, code: string, purpose: "sign_in" | "reverify" = "sign_in", source = { ip: "203.0.113.7" } as { ip: string; device?: string }) =>
    verifyCode(deps, { challengeId, code, purpose, source });
  const wrongCode = () => (deps.sms.lastCode() === "000000" ? "111111" : "000000");

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());
  beforeEach(() => {
    deps = { db: t.db, sms: recordingSms(), clock: fakeClock(), secret: SECRET, host: "reclaim.example" };
  });

  it("sends a 6-digit code in the owner's language, with the WebOTP line, and stores only its HMAC", async () => {
    const number = freshNumber();
    const sent = await send(number);
    expect(sent.ok).toBe(true);
    const code = deps.sms.lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(deps.sms.sent[0]!.body).toBe(`【Reclaim】验证码 ${code}，10 分钟内有效。如非本人操作请忽略。\n\n@reclaim.example #${code}`);
    expect(otpSmsText("en", "123456", "h.example")).toMatch(/^【Reclaim】Your verification code is 123456\. It is valid for 10 minutes\./);
    const rows = await t.db.select().from(otpChallenges).where(eq(otpChallenges.number, number));
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it("reads a challenge back for the code step without its code or HMAC", async () => {
    const number = freshNumber();
    const sent = await send(number);
    if (!sent.ok) throw new Error("not sent");
    const challenge = await challengeById(t.db, sent.challengeId);
    expect(challenge).toEqual({ id: sent.challengeId, number, purpose: "sign_in", termsVersion: "v1", createdAt: deps.clock.now() });
    expect(JSON.stringify(challenge)).not.toContain(deps.sms.lastCode());
    expect(challenge).not.toHaveProperty("codeHash");
    expect(await challengeById(t.db, undefined)).toBeNull();
    expect(await challengeById(t.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("accepts the right code once", async () => {
    const number = freshNumber();
    const sent = await send(number);
    if (!sent.ok) throw new Error("not sent");
    const result = await verify(sent.challengeId, deps.sms.lastCode());
    expect(result).toMatchObject({ ok: true, number, termsVersion: "v1" });
    expect(await verify(sent.challengeId, deps.sms.lastCode())).toEqual({ ok: false, error: "used" });
  });

  it("expires after 10 minutes (fake clock)", async () => {
    const sent = await send(freshNumber());
    if (!sent.ok) throw new Error("not sent");
    deps.clock.advance(OTP_POLICY.ttlMs - 1000);
    const code = deps.sms.lastCode();
    const stillValid = await send(freshNumber()); // unrelated traffic does not matter
    expect(stillValid.ok).toBe(true);
    deps.clock.advance(2000);
    expect(await verify(sent.challengeId, code)).toEqual({ ok: false, error: "expired" });
  });

  it("is bound to the purpose that issued it", async () => {
    const sent = await send(freshNumber());
    if (!sent.ok) throw new Error("not sent");
    expect(await verify(sent.challengeId, deps.sms.lastCode(), "reverify")).toEqual({ ok: false, error: "invalid" });
  });

  it("is invalidated by a resend", async () => {
    const number = freshNumber();
    const first = await send(number);
    const firstCode = deps.sms.lastCode();
    deps.clock.advance(OTP_POLICY.resendIntervalMs);
    const second = await send(number);
    if (!first.ok || !second.ok) throw new Error("not sent");
    expect(await verify(first.challengeId, firstCode)).toEqual({ ok: false, error: "superseded" });
    expect(await verify(second.challengeId, deps.sms.lastCode())).toMatchObject({ ok: true });
  });

  it("allows 5 wrong tries per code, counting down, then the code is dead", async () => {
    const sent = await send(freshNumber());
    if (!sent.ok) throw new Error("not sent");
    const right = deps.sms.lastCode();
    const wrong = right === "000000" ? "111111" : "000000";
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await verify(sent.challengeId, wrong));
    expect(answers).toEqual([
      { ok: false, error: "wrong_code", triesLeft: 4 },
      { ok: false, error: "wrong_code", triesLeft: 3 },
      { ok: false, error: "wrong_code", triesLeft: 2 },
      { ok: false, error: "wrong_code", triesLeft: 1 },
      { ok: false, error: "too_many_attempts" },
    ]);
    expect(await verify(sent.challengeId, right)).toEqual({ ok: false, error: "too_many_attempts" });
  });

  it("counts failures across resends: 10 in an hour lock that device out of the number for an hour, not the owner's", async () => {
    const number = freshNumber();
    let lastResult;
    for (let round = 0; round < 2; round++) {
      const sent = await send(number);
      if (!sent.ok) throw new Error(`not sent: ${JSON.stringify(sent)}`);
      const wrong = wrongCode();
      for (let i = 0; i < 5; i++) lastResult = await verify(sent.challengeId, wrong);
      deps.clock.advance(OTP_POLICY.resendIntervalMs);
    }
    expect(lastResult).toEqual({ ok: false, error: "locked", retryAfterSeconds: 3600 });
    // Locked for this source: no new code can be sent to it.
    expect(await send(number)).toMatchObject({ ok: false, error: "locked" });
    // The owner, on another device and address, still gets a code and signs in.
    const owner = await send(number, "198.51.100.80", "owner-phone-device-id-1");
    if (!owner.ok) throw new Error(`owner refused: ${JSON.stringify(owner)}`);
    expect(await verify(owner.challengeId, deps.sms.lastCode()!, "sign_in", { ip: "198.51.100.80", device: "owner-phone-device-id-1" })).toMatchObject({ ok: true });
    deps.clock.advance(OTP_POLICY.lockMs);
    const after = await send(number);
    expect(after.ok).toBe(true);
  });

  it("an attacker's sends use up their own allowance: the owner on another device still gets a code", async () => {
    const number = freshNumber();
    for (let i = 0; i < OTP_POLICY.sendsPerNumberPerHour; i++) {
      expect((await send(number, "192.0.2.66")).ok).toBe(true);
      deps.clock.advance(MIN);
    }
    expect(await send(number, "192.0.2.66")).toMatchObject({ ok: false, error: "rate_limited" });
    expect((await send(number, "198.51.100.81", "owner-phone-device-id-2")).ok).toBe(true);
  });

  it("many sources share a bounded daily budget; a device that signed in with the number before keeps its own", async () => {
    const number = freshNumber();
    const known = { ip: "198.51.100.82", device: "owner-phone-device-id-3" };
    const first = await send(number, known.ip, known.device);
    if (!first.ok) throw new Error("not sent");
    expect(await verify(first.challengeId, deps.sms.lastCode()!, "sign_in", known)).toMatchObject({ ok: true });
    // The known device's first code (before it was known) counted too.
    for (let i = 0; i < OTP_POLICY.sendsPerNumberPerDayAllSources - 1; i++) {
      deps.clock.advance(OTP_POLICY.numberGapMs);
      expect((await send(number, `192.0.2.${i + 1}`)).ok, `bot send ${i}`).toBe(true);
    }
    deps.clock.advance(OTP_POLICY.numberGapMs);
    const refused = await send(number, "192.0.2.200");
    expect(refused).toMatchObject({ ok: false, error: "number_busy" });
    deps.clock.advance(OTP_POLICY.numberGapMs);
    expect(await send(number, "192.0.2.201", "a-brand-new-device-id-0")).toMatchObject({ ok: false, error: "number_busy" });
    deps.clock.advance(MIN);
    expect((await send(number, known.ip, known.device)).ok).toBe(true);
  });

  it("30 wrong codes from many sources close the number to new devices for an hour, not to a known one", async () => {
    const number = freshNumber();
    const known = { ip: "198.51.100.83", device: "owner-phone-device-id-4" };
    const first = await send(number, known.ip, known.device);
    if (!first.ok) throw new Error("not sent");
    expect(await verify(first.challengeId, deps.sms.lastCode()!, "sign_in", known)).toMatchObject({ ok: true });
    for (let bot = 0; bot < OTP_POLICY.numberFailuresBeforeLock / 5; bot++) {
      const source = { ip: `192.0.2.${100 + bot}` };
      deps.clock.advance(OTP_POLICY.numberGapMs);
      const sent = await send(number, source.ip);
      if (!sent.ok) throw new Error(`bot ${bot} refused: ${JSON.stringify(sent)}`);
      const wrong = wrongCode();
      for (let i = 0; i < 5; i++) await verify(sent.challengeId, wrong, "sign_in", source);
    }
    deps.clock.advance(OTP_POLICY.numberGapMs);
    expect(await send(number, "192.0.2.250")).toMatchObject({ ok: false, error: "number_locked" });
    deps.clock.advance(MIN);
    const again = await send(number, known.ip, known.device);
    if (!again.ok) throw new Error(`known device refused: ${JSON.stringify(again)}`);
    expect(await verify(again.challengeId, deps.sms.lastCode()!, "sign_in", known)).toMatchObject({ ok: true });
  });

  it("waits 60 s between sends, then allows 5 an hour and 10 a day per number", async () => {
    const number = freshNumber();
    expect((await send(number)).ok).toBe(true);
    expect(await send(number)).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: 60 });
    deps.clock.advance(30_000);
    expect(await send(number)).toEqual({ ok: false, error: "rate_limited", retryAfterSeconds: 30 });
    for (let i = 2; i <= 5; i++) {
      deps.clock.advance(MIN);
      expect((await send(number)).ok, `send ${i}`).toBe(true);
    }
    deps.clock.advance(MIN);
    const sixth = await send(number);
    expect(sixth).toMatchObject({ ok: false, error: "rate_limited" });
    // The hour window opened at the first send, 4.5 minutes ago.
    expect(sixth.ok ? 0 : sixth.retryAfterSeconds).toBe(60 * 60 - 4 * 60 - 30 - 60);

    for (let i = 6; i <= 10; i++) {
      deps.clock.advance(i === 6 ? 60 * MIN : MIN);
      expect((await send(number)).ok, `send ${i}`).toBe(true);
    }
    deps.clock.advance(60 * MIN);
    expect(await send(number)).toMatchObject({ ok: false, error: "rate_limited" });
    deps.clock.advance(24 * 60 * MIN);
    expect((await send(number)).ok).toBe(true);
  });

  it("limits sends per IP address (20 an hour) across numbers", async () => {
    const ip = "198.51.100.23";
    for (let i = 0; i < 20; i++) expect((await send(freshNumber(), ip)).ok).toBe(true);
    expect(await send(freshNumber(), ip)).toMatchObject({ ok: false, error: "rate_limited" });
    expect((await send(freshNumber(), "198.51.100.24")).ok).toBe(true);
  });

  it("keeps numbers and IPs out of the limits table", async () => {
    const keys = (await t.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key).join(" ");
    expect(keys).not.toMatch(/8613|198\.51|203\.0/);
  });

  it("reports an SMS outage without the code or number in the log, and keeps the limit", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const number = freshNumber();
    deps.sms.failNext();
    expect(await send(number)).toEqual({ ok: false, error: "sms_failed", retryAfterSeconds: 60 });
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).not.toContain(number.slice(3));
    errors.mockRestore();
  });

  it("answers the same for a number we know and one we have never seen (no enumeration)", async () => {
    const known = freshNumber();
    const sent = await send(known);
    if (!sent.ok) throw new Error("not sent");
    await verify(sent.challengeId, deps.sms.lastCode());
    deps.clock.advance(OTP_POLICY.resendIntervalMs);
    const again = await send(known);
    const unknown = await send(freshNumber());
    const shape = (r: typeof again) => (r.ok ? { ok: true, keys: Object.keys(r).sort() } : r);
    expect(shape(again)).toEqual(shape(unknown));
  });

  it("lets exactly one of many concurrent correct submissions through", async () => {
    const sent = await send(freshNumber());
    if (!sent.ok) throw new Error("not sent");
    const code = deps.sms.lastCode();
    const results = await Promise.all(Array.from({ length: 8 }, () => verify(sent.challengeId, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error === "used")).toBe(true);
  });

  it("asks for a new code before unbinding when the last one is over 15 minutes old", () => {
    const now = new Date("2026-11-28T10:00:00Z");
    expect(needsReverification(new Date(now.getTime() - 14 * MIN), now)).toBe(false);
    expect(needsReverification(new Date(now.getTime() - 16 * MIN).toISOString(), now)).toBe(true);
    expect(needsReverification(undefined, now)).toBe(true);
    expect(needsReverification("not a date", now)).toBe(true);
    expect(needsReverification(new Date(now.getTime() + MIN), now)).toBe(true);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("one-time codes on two instances sharing one Postgres", () => {
  let t: TestDatabase;
  let other: DatabaseHandle;
  beforeAll(async () => {
    t = await createTestDatabase();
    other = await openDatabase({ databaseUrl: t.url });
  });
  afterAll(async () => {
    await other.close();
    await t.dispose();
  });

  it("single use holds across instances: parallel verifies from two pools, one success", async () => {
    const clock = fakeClock();
    const sms = recordingSms();
    const a = { db: t.db, sms, clock, secret: SECRET, host: "h" };
    const b = { ...a, db: other.db };
    const sent = await requestCode(a, { number: "+8613900000001", purpose: "sign_in", locale: "en", ip: "192.0.2.1" });
    if (!sent.ok) throw new Error("not sent");
    const code = sms.lastCode();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => verifyCode(i % 2 ? a : b, { challengeId: sent.challengeId, code, purpose: "sign_in" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("send limits hold across instances: 20 racing sends to one number from two pools, one gets through", async () => {
    const clock = fakeClock();
    const sms = recordingSms();
    const a = { db: t.db, sms, clock, secret: SECRET, host: "h" };
    const b = { ...a, db: other.db };
    // One earlier send, so the limit rows already exist and the race is on updating them.
    expect((await requestCode(a, { number: "+8613900000002", purpose: "sign_in", locale: "en", ip: "192.0.2.200" })).ok).toBe(true);
    clock.advance(OTP_POLICY.resendIntervalMs);
    sms.sent.length = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        requestCode(i % 2 ? a : b, { number: "+8613900000002", purpose: "sign_in", locale: "zh-CN", ip: `192.0.2.${i}` }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(sms.sent).toHaveLength(1);
  });
});
