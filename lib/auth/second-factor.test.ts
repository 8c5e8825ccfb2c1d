import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, staffRecoveryCodes, staffUsers } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEV_TOTP_SECRET, staffSeed } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { AppError } from "@/lib/errors";
import { staffCreate as runStaffCreate } from "@/scripts/staff-create";
import { legacyScryptHash, verifyPassword } from "./password";
import { RECOVERY_CODE_COUNT } from "./recovery-codes";
import { authenticateStaff, changeStaffPassword, completeStaffSignIn, confirmEnrolment, createStaffUser, enrolmentSecret } from "./staff";
import { readPendingToken, signPendingToken, type PendingSignIn } from "./staff-pending";
import { SECOND_FACTOR_THROTTLE } from "./staff-throttle";
import { openTotpSecret, TOTP_PERIOD_S, totpCode } from "./totp";

const SECRET = "second-factor-test-secret-0123456789abcdef";
const at = (iso: string) => new Date(iso);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? e.code : e));

describe("staff second factor", () => {
  let t: TestDatabase;
  const agent = staffSeed.find((s) => s.role === "agent")!;
  const regulator = staffSeed.find((s) => s.role === "regulator")!;
  let agentId: string;
  let regulatorId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const rows = await t.db.select().from(staffUsers);
    agentId = rows.find((r) => r.email === agent.email)!.id;
    regulatorId = rows.find((r) => r.email === regulator.email)!.id;
  });
  afterAll(() => t.dispose());

  const pendingFor = (staffId: string, stage: PendingSignIn["stage"] = "totp"): PendingSignIn => ({ staffId, sessionVersion: 0, stage });

  it("seeds the demo staff with the dev TOTP secret, encrypted and bound to their id", async () => {
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, agentId));
    expect(row!.totpSecret).not.toContain(DEV_TOTP_SECRET);
    expect(openTotpSecret(agentId, row!.totpSecret!)).toBe(DEV_TOTP_SECRET);
    expect(() => openTotpSecret(regulatorId, row!.totpSecret!)).toThrow();
    expect(row!.totpEnabledAt).not.toBeNull();
  });

  it("does not seed the dev secret where it is refused (production, not a sandbox)", async () => {
    const other = await createTestDatabase();
    try {
      await seedDatabase(other.db, { devTotp: false });
      const rows = await other.db.select().from(staffUsers);
      expect(rows.every((r) => r.totpSecret === null && r.totpEnabledAt === null)).toBe(true);
    } finally {
      await other.dispose();
    }
  });

  it("accepts the current code (and one step either side) once; the same or an earlier code is refused", async () => {
    const now = at("2026-12-01T10:00:10Z");
    const previous = new Date(now.getTime() - TOTP_PERIOD_S * 1000);
    const twoBack = new Date(now.getTime() - 2 * TOTP_PERIOD_S * 1000);
    expect(await refusal(completeStaffSignIn(t.db, pendingFor(agentId), totpCode(DEV_TOTP_SECRET, twoBack), { secret: SECRET, now }))).toBe("wrong_code:staff_totp");
    const identity = await completeStaffSignIn(t.db, pendingFor(agentId), totpCode(DEV_TOTP_SECRET, previous), { secret: SECRET, now });
    expect(identity).toMatchObject({ id: agentId, role: "agent" });
    expect(await refusal(completeStaffSignIn(t.db, pendingFor(agentId), totpCode(DEV_TOTP_SECRET, previous), { secret: SECRET, now }))).toBe("reused_code:staff_totp");
    expect(await completeStaffSignIn(t.db, pendingFor(agentId), totpCode(DEV_TOTP_SECRET, now), { secret: SECRET, now })).toMatchObject({ id: agentId });
    expect(await refusal(completeStaffSignIn(t.db, pendingFor(agentId), totpCode(DEV_TOTP_SECRET, now), { secret: SECRET, now }))).toBe("reused_code:staff_totp");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.actorId, agentId));
    expect(audit.map((a) => a.action)).toContain("staff.signed_in");
    expect(JSON.stringify(audit)).not.toContain(totpCode(DEV_TOTP_SECRET, now));
  });

  it("refuses a pending sign-in whose account changed (session version) or that is not at the code step", async () => {
    const now = at("2026-12-01T10:05:00Z");
    expect(await refusal(completeStaffSignIn(t.db, { ...pendingFor(agentId), sessionVersion: 7 }, totpCode(DEV_TOTP_SECRET, now), { secret: SECRET, now }))).toBe("expired:staff_sign_in");
    expect(await refusal(completeStaffSignIn(t.db, pendingFor(agentId, "enrol"), totpCode(DEV_TOTP_SECRET, now), { secret: SECRET, now }))).toBe("expired:staff_sign_in");
  });

  it(`locks the code step after ${SECOND_FACTOR_THROTTLE.failures} wrong codes, even for the right one, until the lock ends`, async () => {
    const start = at("2026-12-02T09:00:00Z");
    for (let i = 0; i < SECOND_FACTOR_THROTTLE.failures; i++) {
      expect(await refusal(completeStaffSignIn(t.db, pendingFor(regulatorId), "000000", { secret: SECRET, now: new Date(start.getTime() + i * 1000) }))).toMatch(/wrong_code|reused/);
    }
    const soon = new Date(start.getTime() + 60_000);
    expect(await refusal(completeStaffSignIn(t.db, pendingFor(regulatorId), totpCode(DEV_TOTP_SECRET, soon), { secret: SECRET, now: soon }))).toBe("locked:staff_totp");
    const later = new Date(start.getTime() + SECOND_FACTOR_THROTTLE.lockMs + 60_000);
    expect(await completeStaffSignIn(t.db, pendingFor(regulatorId), totpCode(DEV_TOTP_SECRET, later), { secret: SECRET, now: later })).toMatchObject({ role: "regulator" });
  });

  it("walks a new account through a new password, enrolment and ten single-use recovery codes", async () => {
    const created = await createStaffUser(t.db, { email: "New.Agent@Carrier.Example", role: "agent", carrier: "CMCC", name: "王芳 / Wang Fang" });
    if (!created.ok) throw new Error(created.errors.join());
    const accepted = await authenticateStaff(t.db, "new.agent@carrier.example", created.password, { secret: SECRET, now: at("2026-12-03T09:00:00Z") });
    expect(accepted).toMatchObject({ next: "change_password" });
    const pending: PendingSignIn = { staffId: accepted!.id, sessionVersion: accepted!.sessionVersion, stage: "change_password" };
    expect(await refusal(changeStaffPassword(t.db, pending, created.password))).toBe("same:staff_password");
    expect(await changeStaffPassword(t.db, pending, "a long new password")).toMatchObject({ next: "enrol" });
    expect(await refusal(changeStaffPassword(t.db, pending, "another new password"))).toBe("expired:staff_sign_in");

    const enrolling = { ...pending, stage: "enrol" as const };
    const first = await enrolmentSecret(t.db, enrolling);
    expect(await enrolmentSecret(t.db, enrolling)).toEqual(first);
    const now = at("2026-12-03T09:01:00Z");
    expect(await refusal(confirmEnrolment(t.db, enrolling, "123456", { secret: SECRET, now }))).toBe("wrong_code:staff_enrol");
    // Not enrolled yet: the code step is not open.
    expect(await refusal(completeStaffSignIn(t.db, { ...pending, stage: "totp" }, totpCode(first!.secret, now), { secret: SECRET, now }))).toBe("expired:staff_sign_in");
    const codes = await confirmEnrolment(t.db, enrolling, totpCode(first!.secret, now), { secret: SECRET, now });
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    const stored = await t.db.select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, pending.staffId));
    expect(stored).toHaveLength(RECOVERY_CODE_COUNT);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace("-", ""));
    // The secret is never shown again once enrolled; the enrolment's own code cannot be reused.
    expect(await enrolmentSecret(t.db, enrolling)).toBeNull();
    expect(await refusal(completeStaffSignIn(t.db, { ...pending, stage: "totp" }, totpCode(first!.secret, now), { secret: SECRET, now }))).toBe("reused_code:staff_totp");
    expect(await completeStaffSignIn(t.db, { ...pending, stage: "verified" }, undefined, { secret: SECRET, now })).toMatchObject({ role: "agent" });

    // A recovery code works once, typed in any case, with or without the dash; its use is audited.
    const later = at("2026-12-03T10:00:00Z");
    expect(await completeStaffSignIn(t.db, { ...pending, stage: "totp" }, codes[3]!.toUpperCase().replace("-", " "), { secret: SECRET, now: later })).toMatchObject({ id: pending.staffId });
    expect(await refusal(completeStaffSignIn(t.db, { ...pending, stage: "totp" }, codes[3]!, { secret: SECRET, now: later }))).toBe("wrong_code:staff_totp");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.actorId, pending.staffId));
    expect(audit.find((a) => a.action === "staff.recovery_code_used")?.metadata).toEqual({ remaining: String(RECOVERY_CODE_COUNT - 1) });
    expect(JSON.stringify(audit)).not.toContain(codes[3]!);
  });

  it("re-hashes an scrypt password to argon2id at the next successful sign-in", async () => {
    await t.db.update(staffUsers).set({ passwordHash: await legacyScryptHash("old scrypt password") }).where(eq(staffUsers.id, regulatorId));
    expect(await authenticateStaff(t.db, regulator.email, "wrong", { secret: SECRET, address: "198.51.100.1" })).toBeNull();
    expect((await t.db.select().from(staffUsers).where(eq(staffUsers.id, regulatorId)))[0]!.passwordHash).toMatch(/^scrypt\$/);
    expect(await authenticateStaff(t.db, regulator.email, "old scrypt password", { secret: SECRET, address: "198.51.100.1" })).toMatchObject({ next: "totp" });
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, regulatorId));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword("old scrypt password", row!.passwordHash)).toBe(true);
  });
});

describe("the pending sign-in token", () => {
  const now = at("2026-12-01T10:00:00Z");
  const pending: PendingSignIn = { staffId: "3f1c2b9e-8a6d-4e1f-9c2a-5b7d8e9f0a1b", sessionVersion: 2, stage: "totp" };

  it("reads back what was signed, for its step, within five minutes", async () => {
    const token = await signPendingToken(pending, SECRET, now);
    expect(await readPendingToken(token, SECRET, new Date(now.getTime() + 4 * 60_000), "totp")).toEqual(pending);
    expect(await readPendingToken(token, SECRET, now, "enrol")).toBeNull();
  });

  it("refuses an expired, tampered, foreign-key or missing token", async () => {
    const token = await signPendingToken(pending, SECRET, now);
    expect(await readPendingToken(token, SECRET, new Date(now.getTime() + 5 * 60_000 + 1000))).toBeNull();
    expect(await readPendingToken(token, "another-secret-entirely-0123456789abcdef", now)).toBeNull();
    const [h, p, s] = token.split(".");
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "00000000-0000-4000-8000-000000000000" })).toString("base64url");
    expect(await readPendingToken(`${h}.${other}.${s}`, SECRET, now)).toBeNull();
    expect(await readPendingToken(undefined, SECRET, now)).toBeNull();
  });
});

describe("npm run staff:create", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());

  it("creates an agent of a carrier by code in any case, with a one-time password that must be changed", async () => {
    const result = await createStaffUser(t.db, { email: "wang.fang@cmcc.example", role: "agent", carrier: "CMCC", name: "王芳 / Wang Fang" });
    expect(result).toMatchObject({ ok: true, password: expect.stringMatching(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/) });
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.email, "wang.fang@cmcc.example"));
    expect(row).toMatchObject({ role: "agent", mustChangePassword: true, totpSecret: null, displayName: "王芳 / Wang Fang" });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    // A supervisor belongs to one carrier too.
    expect(await createStaffUser(t.db, { email: "li.na@cmcc.example", role: "supervisor", carrier: "cmcc", name: "李娜 / Li Na" })).toMatchObject({ ok: true });
  });

  it("refuses bad arguments clearly, creating nothing", async () => {
    const bad = async (input: Record<string, string>) => {
      const r = await createStaffUser(t.db, input);
      return r.ok ? [] : r.errors;
    };
    expect(await bad({ email: "nope", role: "agent", carrier: "cmcc", name: "x" })).toEqual([expect.stringContaining("--email")]);
    expect(await bad({ email: "a@b.cn", role: "boss", name: "x" })).toEqual([expect.stringContaining("--role")]);
    expect(await bad({ email: "a@b.cn", role: "agent", name: "x" })).toEqual([expect.stringContaining("an agent works for one carrier")]);
    expect(await bad({ email: "s@b.cn", role: "supervisor", name: "x" })).toEqual([expect.stringContaining("a supervisor works for one carrier")]);
    expect(await bad({ email: "a@b.cn", role: "agent", carrier: "xyz", name: "x" })).toEqual([expect.stringContaining("known: CMCC, CUCC, CTCC")]);
    expect(await bad({ email: "a@b.cn", role: "regulator", carrier: "cmcc", name: "x" })).toEqual([expect.stringContaining("only agents")]);
    expect(await bad({ email: "wang.fang@cmcc.example", role: "regulator", name: "x" })).toEqual([expect.stringContaining("already exists")]);
    expect(await t.db.select().from(staffUsers).where(eq(staffUsers.email, "a@b.cn"))).toHaveLength(0);
  });

  it("prints the one-time password and nothing else secret; exits 1 with the errors on bad input", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const staffCreate = (argv: string[], o: (l: string) => void, e: (l: string) => void) => runStaffCreate(t.db, "pglite", argv, o, e);
    const code = await staffCreate(["--email", "li.lei@example.cn", "--role", "regulator", "--name", "李雷 / Li Lei"], (l) => out.push(l), (l) => err.push(l));
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(/One-time password .*: [A-Za-z2-9-]{19}$/m);
    expect(out.join("\n")).not.toMatch(/argon2|totp/i);
    expect(await staffCreate(["--email", "x@y.cn", "--role", "agent", "--name", "X"], (l) => out.push(l), (l) => err.push(l))).toBe(1);
    expect(err.join("\n")).toContain("--carrier");
    expect(await staffCreate(["--bogus"], () => {}, (l) => err.push(l))).toBe(1);
  });
});
