import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/db/seed";
import { DEMO_OWNER_NUMBER } from "@/db/seed-data";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { signInOwner } from "@/lib/auth/owner";
import { correctTenure, declareTenure } from "@/lib/tenure";
import { currentTenure, lastVerifiedAt, markVerified, tenureCorrections } from "./queries";

describe("owner queries", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDatabase(t.db);
  });
  afterAll(() => t.dispose());
  /** The number's owner row, as sign-in makes it (declaring a date opens a case that names the owner). */
  const ownerOf = async (number: string) => (await signInOwner(t.db, { number, verifiedAt: new Date("2026-11-28"), termsVersion: null }))!.id;

  it("finds the number's open tenure with its carrier, not the previous holder's", async () => {
    expect(await currentTenure(t.db, DEMO_OWNER_NUMBER)).toMatchObject({
      startedAt: new Date("2026-03-15T10:30:00+08:00"),
      source: "carrier_record",
      carrierZh: "中国移动",
      carrierEn: "China Mobile",
    });
    expect(await currentTenure(t.db, "+8613700000000")).toBeNull();
  });

  it("finds a self-declared tenure too", async () => {
    const number = "+8618620005555";
    await declareTenure(t.db, { ownerId: await ownerOf(number), number, startedAt: new Date("2025-02-01"), now: new Date("2026-11-28") });
    expect(await currentTenure(t.db, number)).toMatchObject({ source: "self_declared", carrierEn: "China Unicom" });
  });

  it("records a re-verification on the owner, and only on that owner", async () => {
    const signedInAt = new Date("2026-11-28T10:00:00+08:00");
    const owner = await signInOwner(t.db, { number: "+8618620006666", verifiedAt: signedInAt, termsVersion: null });
    const other = await signInOwner(t.db, { number: "+8618620006667", verifiedAt: signedInAt, termsVersion: null });
    expect(await lastVerifiedAt(t.db, owner.id)).toEqual(signedInAt);

    const reverifiedAt = new Date("2026-11-29T09:00:00+08:00");
    await markVerified(t.db, owner.id, reverifiedAt);
    expect(await lastVerifiedAt(t.db, owner.id)).toEqual(reverifiedAt);
    expect(await lastVerifiedAt(t.db, other.id)).toEqual(signedInAt);
    expect(await lastVerifiedAt(t.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("lists a tenure's corrections, newest first, with the date each replaced", async () => {
    const number = "+8618620005556";
    const declared = new Date("2025-02-01T00:00:00+08:00");
    await declareTenure(t.db, { ownerId: await ownerOf(number), number, startedAt: declared, now: new Date("2026-11-28") });
    const tenure = (await currentTenure(t.db, number))!;
    expect(await tenureCorrections(t.db, tenure.id)).toEqual([]);

    const first = { at: new Date("2026-11-28T10:00:00+08:00"), startedAt: new Date("2025-01-01T00:00:00+08:00") };
    const second = { at: new Date("2026-11-29T10:00:00+08:00"), startedAt: new Date("2025-01-05T00:00:00+08:00") };
    await correctTenure(t.db, { ownerId: await ownerOf(number), number, startedAt: first.startedAt, now: first.at });
    await correctTenure(t.db, { ownerId: await ownerOf(number), number, startedAt: second.startedAt, now: second.at });
    expect(await tenureCorrections(t.db, tenure.id)).toEqual([
      { at: second.at, previousStartedAt: first.startedAt, startedAt: second.startedAt },
      { at: first.at, previousStartedAt: declared, startedAt: first.startedAt },
    ]);
    expect(await currentTenure(t.db, number)).toMatchObject({ startedAt: second.startedAt, source: "self_declared" });
  });
});
