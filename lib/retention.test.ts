import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otpChallenges, rateLimits } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { purgeExpired } from "./retention";

describe("retention", () => {
  let t: TestDatabase;
  const now = new Date("2026-11-29T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const hour = 3600_000;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it("deletes challenges a day after they expire and rate-limit rows whose window and lock are over", async () => {
    const challenge = (id: string, expiresAt: Date) => ({ id, number: "+8613800138000", purpose: "sign_in" as const, codeHash: "x", createdAt: ago(48 * hour), expiresAt });
    await t.db.insert(otpChallenges).values([
      challenge("00000000-0000-4000-8000-000000000001", ago(25 * hour)), // expired over a day ago: goes
      challenge("00000000-0000-4000-8000-000000000002", ago(23 * hour)), // expired, kept for a day
      challenge("00000000-0000-4000-8000-000000000003", new Date(now.getTime() + 60_000)), // live
    ]);
    await t.db.insert(rateLimits).values([
      { key: "over", count: 3, windowStart: ago(2 * hour), windowEnd: ago(hour) },
      { key: "open-window", count: 1, windowStart: ago(hour), windowEnd: new Date(now.getTime() + hour) },
      { key: "still-locked", count: 10, windowStart: ago(2 * hour), windowEnd: ago(hour), blockedUntil: new Date(now.getTime() + hour) },
      { key: "lock-over", count: 10, windowStart: ago(3 * hour), windowEnd: ago(2 * hour), blockedUntil: ago(hour) },
    ]);
    expect(await purgeExpired(t.db, now)).toEqual({ challenges: 1, rateLimits: 2, revokedSessions: 0 });
    expect((await t.db.select({ id: otpChallenges.id }).from(otpChallenges)).map((c) => c.id).sort()).toEqual([
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000003",
    ]);
    expect((await t.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key).sort()).toEqual(["open-window", "still-locked"]);
    expect(await purgeExpired(t.db, now)).toEqual({ challenges: 0, rateLimits: 0, revokedSessions: 0 });
  });
});
