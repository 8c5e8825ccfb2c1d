import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentCases, auditLog, carriers, numberTenures, owners, staffUsers } from "@/db/schema";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { recordAudit } from "./audit";

// Runs on PGlite, and on Postgres when DATABASE_URL is set (db/testing.ts): the trigger is the same SQL on both.
describe("the audit log", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  /** The refusal as the app sees it: lib/errors.ts' DatabaseError, which carries the SQLSTATE only. */
  async function refusal(run: () => Promise<unknown>): Promise<{ code?: string }> {
    try {
      await run();
    } catch (error) {
      return { code: (error as { code?: string }).code };
    }
    throw new Error("the statement was not refused");
  }

  it("records actor, action, subject by id, time and the client's address", async () => {
    await recordAudit(t.db, { actorType: "staff", actorId: "staff-1", action: "number.revealed", subjectType: "number_tenure", subjectId: "tenure-1", ip: "203.0.113.7" });
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.subjectId, "tenure-1"));
    expect(row).toMatchObject({ actorType: "staff", actorId: "staff-1", action: "number.revealed", subjectType: "number_tenure", ip: "203.0.113.7" });
    expect(row!.at).toBeInstanceOf(Date);
  });

  it("a staff row takes the request's address when the caller gives none; an owner's or the system's never does", async () => {
    const address = async () => "198.51.100.0/24";
    await recordAudit(t.db, { actorType: "staff", actorId: "staff-2", action: "case.opened", subjectType: "agent_case", subjectId: "case-ip-1" }, { address });
    await recordAudit(t.db, { actorType: "owner", actorId: "owner-1", action: "unbind.requested", subjectType: "unbind_batch", subjectId: "batch-ip-1" }, { address });
    // Outside a request (a script, the dispatcher) there is no address to take.
    await recordAudit(t.db, { actorType: "staff", actorId: "staff-3", action: "staff.created", subjectType: "staff_user", subjectId: "staff-ip-3" });
    const ipOf = async (subjectId: string) => (await t.db.select({ ip: auditLog.ip }).from(auditLog).where(eq(auditLog.subjectId, subjectId)))[0]!.ip;
    expect(await ipOf("case-ip-1")).toBe("198.51.100.0/24");
    expect(await ipOf("batch-ip-1")).toBeNull();
    expect(await ipOf("staff-ip-3")).toBeNull();
  });

  it("refuses to change an entry: UPDATE, DELETE and TRUNCATE fail and the row stays as written", async () => {
    await recordAudit(t.db, { actorType: "system", action: "case.routed", subjectType: "agent_case", subjectId: "case-1" });
    const before = await t.db.select().from(auditLog).orderBy(auditLog.id);

    for (const run of [
      () => t.db.update(auditLog).set({ action: "nothing.happened" }).where(eq(auditLog.subjectId, "case-1")),
      () => t.db.update(auditLog).set({ ip: null }),
      () => t.db.delete(auditLog).where(eq(auditLog.subjectId, "case-1")),
      () => t.db.delete(auditLog),
      () => t.db.execute(sql`truncate audit_log`),
    ]) {
      // 42501 insufficient_privilege, raised by the trigger (migration 0009_audit_append_only).
      expect(await refusal(run)).toEqual({ code: "42501" });
    }
    expect(await t.db.select().from(auditLog).orderBy(auditLog.id)).toEqual(before);
  });

  it("refuses inside a transaction too, and the transaction's other work goes with it", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.insert(auditLog).values({ actorType: "system", action: "will.roll.back" });
        await tx.delete(auditLog).where(eq(auditLog.action, "case.routed"));
      }),
    ).rejects.toThrow();
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "will.roll.back"))).toEqual([]);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "case.routed"))).toHaveLength(1);
  });
});

describe("each row's carrier, decided when it is written", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it("takes the subject case's or tenure's carrier, else the staff actor's, else the owner's open tenure's, and keeps it", async () => {
    const [x, y] = await t.db
      .insert(carriers)
      .values([
        { code: "xx", nameZh: "甲", nameEn: "X" },
        { code: "yy", nameZh: "乙", nameEn: "Y" },
      ])
      .returning();
    const [agentX] = await t.db.insert(staffUsers).values({ email: "ax@test", displayName: "X", role: "agent", carrierId: x!.id, passwordHash: "-" }).returning();
    const [admin] = await t.db.insert(staffUsers).values({ email: "admin@test", displayName: "A", role: "admin", passwordHash: "-" }).returning();
    const [owner] = await t.db.insert(owners).values({ number: "+8613800000009", termsVersion: "1", termsAcceptedAt: new Date() }).returning();
    const [tenureX] = await t.db
      .insert(numberTenures)
      .values({ number: owner!.number, carrierId: x!.id, startedAt: new Date("2025-01-01"), source: "carrier_record" })
      .returning();
    const now = new Date();
    const [caseY] = await t.db
      .insert(agentCases)
      .values({ kind: "manual", carrierId: y!.id, createdAt: now, firstResponseDueAt: now, resolutionDueAt: now, nextDueAt: now })
      .returning();

    const write = (subjectId: string, entry: Partial<Parameters<typeof recordAudit>[1]>) =>
      recordAudit(t.db, { actorType: "system", action: "test.carrier", subjectId, ip: null, ...entry });
    await write("r-case", { actorType: "staff", actorId: admin!.id, subjectType: "agent_case" });
    await recordAudit(t.db, { actorType: "staff", actorId: admin!.id, action: "case.routed", subjectType: "agent_case", subjectId: caseY!.id, ip: null });
    await recordAudit(t.db, { actorType: "platform", actorId: "p1", action: "tenure.noted", subjectType: "number_tenure", subjectId: tenureX!.id });
    await write("r-staff", { actorType: "staff", actorId: agentX!.id });
    await write("r-owner-1", { actorType: "owner", actorId: owner!.id, subjectType: "lookup" });
    await write("r-named", { actorType: "owner", actorId: owner!.id, carrierId: y!.id });
    await write("r-none", { actorType: "staff", actorId: "not-a-uuid", subjectType: "agent_case" });
    // The number moves to Y: the owner's earlier row stays in X's log, the next one is Y's.
    await t.db.update(numberTenures).set({ endedAt: new Date("2026-01-01") }).where(sql`${numberTenures.id} = ${tenureX!.id}`);
    await t.db.insert(numberTenures).values({ number: owner!.number, carrierId: y!.id, startedAt: new Date("2026-01-01"), source: "carrier_record" });
    await write("r-owner-2", { actorType: "owner", actorId: owner!.id, subjectType: "lookup" });

    const rows = await t.db.select({ subjectId: auditLog.subjectId, carrierId: auditLog.carrierId }).from(auditLog);
    const carrierOf = Object.fromEntries(rows.map((r) => [r.subjectId, r.carrierId]));
    expect(carrierOf).toEqual({
      "r-case": null, // an admin, and no such case
      [caseY!.id]: y!.id, // the subject decides before the (carrier-less) admin
      [tenureX!.id]: x!.id,
      "r-staff": x!.id,
      "r-owner-1": x!.id,
      "r-named": y!.id, // the caller's choice stands
      "r-none": null, // ids that are no uuid are no row's, and the insert does not fail on them
      "r-owner-2": y!.id,
    });
  });
});

describe("the backfill migration of audit_log.carrier_id", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  const backfill = () => {
    const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith("_audit_log_carrier_backfill.sql"))!;
    return readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8").split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean);
  };

  it("fills the rows written before the column by the same rule, in its transaction, and leaves the table append-only", async () => {
    const [x, y] = await t.db.insert(carriers).values([{ code: "bx", nameZh: "甲", nameEn: "X" }, { code: "by", nameZh: "乙", nameEn: "Y" }]).returning();
    const [agentY] = await t.db.insert(staffUsers).values({ email: "ay@backfill.test", displayName: "Y", role: "agent", carrierId: y!.id, passwordHash: "-" }).returning();
    const [owner] = await t.db.insert(owners).values({ number: "+8613800000019", termsVersion: "1", termsAcceptedAt: new Date() }).returning();
    const [tenureX] = await t.db.insert(numberTenures).values({ number: owner!.number, carrierId: x!.id, startedAt: new Date("2025-01-01"), source: "carrier_record" }).returning();
    const now = new Date();
    const [caseY] = await t.db.insert(agentCases).values({ kind: "manual", carrierId: y!.id, createdAt: now, firstResponseDueAt: now, resolutionDueAt: now, nextDueAt: now }).returning();
    // Rows as they were before the column: written without a carrier.
    const old: (typeof auditLog.$inferInsert)[] = [
      { actorType: "staff", actorId: agentY!.id, action: "case.viewed", subjectType: "agent_case", subjectId: caseY!.id },
      { actorType: "staff", actorId: agentY!.id, action: "number.viewed", subjectType: "number_tenure", subjectId: tenureX!.id },
      { actorType: "staff", actorId: agentY!.id, action: "staff.read", subjectType: "carrier_tenures", subjectId: "old-1" },
      { actorType: "owner", actorId: owner!.id, action: "lookup.started", subjectType: "lookup", subjectId: "old-2" },
      { actorType: "system", actorId: null, action: "retention.purged", subjectType: null, subjectId: "old-3" },
    ];
    await t.db.insert(auditLog).values(old.map((row) => ({ ...row, carrierId: null })));
    await t.db.transaction(async (tx) => {
      for (const statement of backfill()) await tx.execute(sql.raw(statement));
    });
    const rows = await t.db.select({ subjectId: auditLog.subjectId, carrierId: auditLog.carrierId }).from(auditLog);
    expect(Object.fromEntries(rows.map((r) => [r.subjectId, r.carrierId]))).toEqual({
      [caseY!.id]: y!.id, // the subject case's carrier
      [tenureX!.id]: x!.id, // the subject tenure's, before the (Y) actor's
      "old-1": y!.id, // the staff actor's
      "old-2": x!.id, // the owner's open tenure's
      "old-3": null,
    });
    // The trigger is on again: no later statement may rewrite a row.
    await expect(t.db.execute(sql`update audit_log set action = 'x'`)).rejects.toMatchObject({ code: "42501" });
  });
});

describe("staff roles in the database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it("keeps supervisors, like agents, to one carrier; regulators need none", async () => {
    const [carrier] = await t.db.insert(carriers).values({ code: "cmcc", nameZh: "中国移动", nameEn: "China Mobile" }).returning();
    const base = { passwordHash: "x", displayName: "S" };
    await t.db.insert(staffUsers).values({ ...base, email: "sup@x.test", role: "supervisor", carrierId: carrier!.id });
    await t.db.insert(staffUsers).values({ ...base, email: "reg@x.test", role: "regulator" });
    for (const role of ["supervisor", "agent"] as const) {
      const refused = await t.db
        .insert(staffUsers)
        .values({ ...base, email: `${role}-none@x.test`, role })
        .then(() => null, (error: { code?: string; constraint?: string }) => [error.code, error.constraint]);
      expect({ role, refused }).toEqual({ role, refused: ["23514", "staff_agent_has_carrier"] });
    }
  });
});
