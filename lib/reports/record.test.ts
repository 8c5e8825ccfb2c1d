import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numberTenures, owners, platforms } from "@/db/schema";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { reportRecord } from "./record";
import { createReport } from "./service";
import { advanceReport } from "./status";
import { memoryEvidenceStore } from "./testing";

const DEBT_SMS = "【易贷花】刘某某 因欠款逾期，请尽快联系 13812345678 处理欠款3,280.50元，身份证号110101199003071233已登记。";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
/** What the previous owner's data looks like in the message and the answers: none of it may reach paper. */
const SECRETS = ["刘某某", "13812345678", "3,280.50", "110101199003071233", "张小明"];

describe("the printable record of a report", () => {
  let t: TestDatabase;
  let ownerId: string;
  let tenureId: string;
  let platformReport: string;
  let carrierReport: string;
  const clock = fakeClock("2026-11-29T02:00:00Z");
  const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);
  const scope = () => ({ ownerId, tenureId, number: DEMO_OWNER_NUMBER });

  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
    const store = memoryEvidenceStore();
    const [owner] = await t.db.insert(owners).values({ number: DEMO_OWNER_NUMBER, termsVersion: "test", termsAcceptedAt: clock.now() }).returning({ id: owners.id });
    ownerId = owner!.id;
    const [tenure] = await t.db
      .select({ id: numberTenures.id })
      .from(numberTenures)
      .where(and(eq(numberTenures.number, DEMO_OWNER_NUMBER), isNull(numberTenures.endedAt)));
    tenureId = tenure!.id;
    const [easyCredit] = await t.db.select({ id: platforms.id }).from(platforms).where(eq(platforms.slug, "easy-credit"));
    const receivedAt = new Date(clock.now().getTime() - 3600_000);

    const first = await createReport(t.db, store, {
      ownerId,
      number: DEMO_OWNER_NUMBER,
      report: { channel: "sms", text: DEBT_SMS, sender: "刘某某的催收员 13812345678", receivedAt, platformId: easyCredit!.id },
      evidence: [{ bytes: PNG, mime: "image/png" }],
      now: clock.now(),
    });
    if (!first.ok) throw new Error(first.error);
    platformReport = first.reportId;
    await advanceReport(t.db, platformReport, { to: "forwarded", at: at(1) });
    await advanceReport(t.db, platformReport, { to: "acknowledged", at: at(3) });
    // A platform's note may name the account holder: masked on paper like the message.
    await advanceReport(t.db, platformReport, { to: "resolved", at: at(60), reason: "contact_stopped", note: "已通知借款人张小明先生，不再联系此号码" });

    const second = await createReport(t.db, store, {
      ownerId,
      number: DEMO_OWNER_NUMBER,
      report: { channel: "call", text: "说是找刘某某的，我不认识", receivedAt, companyName: "某某资产管理公司" },
      evidence: [],
      now: at(2),
    });
    if (!second.ok) throw new Error(second.error);
    carrierReport = second.reportId;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("holds what was reported, masked as forwarded, and every answer in order", async () => {
    const record = await reportRecord(t.db, scope(), platformReport, at(120));
    expect(record).not.toBeNull();
    expect(record!.reference).toMatch(/^RP-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(record!.maskedNumber).toBe("138****8000");
    expect(record!).toMatchObject({ channel: "sms", category: "debt_collection", status: "resolved", reason: "contact_stopped", screenshots: 1, generatedAt: at(120) });
    expect(record!.redactedText).toContain("刘**");
    expect(record!.redactedText).toContain("138******78");
    expect(record!.sender).toContain("138******78");
    expect(record!.events.map((e) => [e.status, e.at])).toEqual([
      ["received", clock.now()],
      ["forwarded", at(1)],
      ["acknowledged", at(3)],
      ["resolved", at(60)],
    ]);
    expect(record!.events.at(-1)!.reason).toBe("contact_stopped");
    expect(record!.events.at(-1)!.note).toContain("张**");
    expect(record!.note).toBe(record!.events.at(-1)!.note);
  });

  it("a report without a participating platform names the company the owner typed and the carrier's queue", async () => {
    const record = await reportRecord(t.db, scope(), carrierReport, at(120));
    expect(record).toMatchObject({ platformId: null, channel: "call", status: "agent_review", reason: "no_platform", screenshots: 0 });
    expect(record!.companyName).toBe("某某资产管理公司");
    expect(record!.events.map((e) => e.status)).toEqual(["received", "agent_review"]);
  });

  it("never carries the previous owner's data or the full number", async () => {
    for (const id of [platformReport, carrierReport]) {
      const text = JSON.stringify(await reportRecord(t.db, scope(), id, at(120)));
      for (const secret of [...SECRETS, DEMO_OWNER_NUMBER, DEMO_OWNER_NUMBER.slice(3)]) expect(text).not.toContain(secret);
    }
  });

  it("is the owner's own, in their current tenure: anyone else gets nothing", async () => {
    expect(await reportRecord(t.db, { ...scope(), ownerId: randomUUID() }, platformReport, at(120))).toBeNull();
    expect(await reportRecord(t.db, { ...scope(), tenureId: randomUUID() }, platformReport, at(120))).toBeNull();
    expect(await reportRecord(t.db, scope(), randomUUID(), at(120))).toBeNull();
  });
});
