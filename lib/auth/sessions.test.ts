import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { revokedSessions, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { staffSeed } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { signInOwner } from "./owner";
import { bumpStaffSessions, purgeRevokedSessions, revokeSession, sessionStillValid, signOutEverywhere } from "./sessions";
import { authenticateStaff, setStaffDisabled, setStaffRole } from "./staff";

const SECRET = "sessions-test-secret-0123456789abcdef0123";
const NOW = new Date("2026-11-28T09:00:00Z");
const HOUR = 3600_000;

type JwtArgs = Parameters<typeof authConfig.callbacks.jwt>[0];
/** A session as issued at sign-in by the Auth.js config: random sid, version from the account. */
async function issue(user: NonNullable<JwtArgs["user"]>) {
  const token = await authConfig.callbacks.jwt({ token: {}, user } as JwtArgs);
  return token!;
}

describe("session revocation and versions", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  const check = (token: Awaited<ReturnType<typeof issue>>, now = NOW) =>
    sessionStillValid(t.db, { role: token.role!, userId: token.sub!, sessionId: token.sid, version: token.sv, now });

  async function ownerSession(number: string) {
    const owner = await signInOwner(t.db, { number, verifiedAt: NOW, termsVersion: null });
    return issue({ id: owner.id, role: "owner", number: owner.number, sessionVersion: owner.sessionVersion });
  }

  it("gives every sign-in its own random session id and the account's version", async () => {
    const a = await ownerSession("+8613800138001");
    const b = await ownerSession("+8613800138001");
    expect(a.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.sid).not.toBe(b.sid);
    expect(a.sv).toBe(0);
    expect(await check(a)).toBe(true);
    // Tokens from before session ids existed, or with a forged subject, are refused.
    expect(await check({ ...a, sid: undefined })).toBe(false);
    expect(await check({ ...a, sv: undefined })).toBe(false);
    expect(await check({ ...a, sub: "not-a-uuid" })).toBe(false);
    expect(await check({ ...a, sub: "00000000-0000-4000-8000-000000000000" })).toBe(false);
  });

  it("refuses a signed-out session (a copied cookie) while the owner's other session goes on", async () => {
    const phone = await ownerSession("+8613800138002");
    const laptop = await ownerSession("+8613800138002");
    await revokeSession(t.db, phone.sid!, new Date(NOW.getTime() + 12 * HOUR));
    await revokeSession(t.db, phone.sid!, new Date(NOW.getTime() + 12 * HOUR)); // twice is harmless
    expect(await check(phone)).toBe(false);
    expect(await check(laptop)).toBe(true);
  });

  it("signing out everywhere refuses every older session; the next sign-in works", async () => {
    const first = await ownerSession("+8613800138003");
    const second = await ownerSession("+8613800138003");
    const other = await ownerSession("+8613800138004");
    expect(await signOutEverywhere(t.db, { role: "owner", userId: first.sub! })).toBe(1);
    expect(await check(first)).toBe(false);
    expect(await check(second)).toBe(false);
    expect(await check(other)).toBe(true);
    const again = await ownerSession("+8613800138003");
    expect(again.sv).toBe(1);
    expect(await check(again)).toBe(true);
  });

  it("a staff account disabled and re-enabled does not bring its old sessions back", async () => {
    const regulator = staffSeed.find((s) => s.role === "regulator")!;
    // The password step's answer; the session itself comes after the second factor.
    const accepted = await authenticateStaff(t.db, regulator.email, regulator.password, { secret: SECRET, now: NOW });
    expect(accepted).toMatchObject({ next: "totp", sessionVersion: expect.any(Number) });
    const identity = { ...accepted!, role: "regulator" as const };
    const old = await issue(identity!);
    expect(await check(old)).toBe(true);

    expect(await setStaffDisabled(t.db, identity!.id, true, { now: NOW })).toBe(true);
    expect(await check(old)).toBe(false);
    expect(await authenticateStaff(t.db, regulator.email, regulator.password, { secret: SECRET, now: NOW })).toBeNull();

    expect(await setStaffDisabled(t.db, identity!.id, false)).toBe(true);
    expect(await check(old)).toBe(false);
    const fresh = await authenticateStaff(t.db, regulator.email, regulator.password, { secret: SECRET, now: NOW });
    expect(fresh!.sessionVersion).toBeGreaterThan(identity.sessionVersion);
    expect(await check(await issue({ ...fresh!, role: "regulator" }))).toBe(true);
  });

  it("a staff role change, or a bump, ends the sessions issued before it", async () => {
    const agent = staffSeed.find((s) => s.role === "agent")!;
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.email, agent.email));
    const before = await issue({ id: row!.id, role: row!.role, carrierId: row!.carrierId, sessionVersion: row!.sessionVersion });
    expect(await check(before)).toBe(true);
    await setStaffRole(t.db, row!.id, "admin", row!.carrierId);
    expect(await check(before)).toBe(false);
    // Even with the role put back, the version has moved on.
    await setStaffRole(t.db, row!.id, "agent", row!.carrierId);
    expect(await check(before)).toBe(false);

    const [now] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, row!.id));
    const current = await issue({ id: now!.id, role: now!.role, carrierId: now!.carrierId, sessionVersion: now!.sessionVersion });
    expect(await check(current)).toBe(true);
    await bumpStaffSessions(t.db, row!.id);
    expect(await check(current)).toBe(false);
  });

  it("purges revocations once the session would have expired anyway, and only those", async () => {
    const purgeAt = new Date(NOW.getTime() + 24 * HOUR);
    await revokeSession(t.db, "expired-sid", new Date(NOW.getTime() + HOUR));
    await revokeSession(t.db, "live-sid", new Date(purgeAt.getTime() + HOUR));
    expect(await purgeRevokedSessions(t.db, purgeAt)).toBeGreaterThanOrEqual(1);
    const left = (await t.db.select().from(revokedSessions)).map((r) => r.sessionId);
    expect(left).toContain("live-sid");
    expect(left).not.toContain("expired-sid");
    expect(left.every((id) => id === "live-sid")).toBe(true);
  });
});
