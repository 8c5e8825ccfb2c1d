import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { createDevProvider, readOutbox } from "./dev";
import { devSmsShowsAll } from "./index";

describe("the dev SMS outbox in a public sandbox", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    const sms = createDevProvider(async () => t.db, () => {});
    const otp = (device: string | undefined, code: string) =>
      sms.send({ to: "+8613800138000", body: `code ${code}`, locale: "en", device, template: { kind: "otp", params: { code, minutes: "10" } } });
    await otp("visitor-a-device-id-000", "111111");
    await otp("visitor-b-device-id-000", "222222");
    await otp(undefined, "333333");
  });
  afterAll(() => t?.dispose());

  it("shows each visitor only the codes their own browser asked for, and none to a browser without a device id", async () => {
    expect((await readOutbox(t.db, undefined, 50, "visitor-a-device-id-000")).map((m) => m.body)).toEqual(["code 111111"]);
    expect((await readOutbox(t.db, "+8613800138000", 50, "visitor-b-device-id-000")).map((m) => m.body)).toEqual(["code 222222"]);
    expect(await readOutbox(t.db, undefined, 50, null)).toEqual([]);
    expect(await readOutbox(t.db, undefined, 50)).toHaveLength(3);
  });

  it("shows everything only on a developer's machine or in a test run", () => {
    expect(devSmsShowsAll({ NODE_ENV: "development", RECLAIM_E2E: false })).toBe(true);
    expect(devSmsShowsAll({ NODE_ENV: "production", RECLAIM_E2E: false })).toBe(false);
    expect(devSmsShowsAll({ NODE_ENV: "production", RECLAIM_E2E: true })).toBe(true);
  });
});
