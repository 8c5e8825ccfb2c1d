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

describe("the dev provider's terminal line", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.dispose());

  const send = async (showText: boolean | undefined) => {
    const lines: string[] = [];
    const sms = createDevProvider(async () => t.db, (line) => lines.push(line), showText === undefined ? undefined : { showText });
    await sms.send({ to: "+8613800138000", body: "【Reclaim】验证码 654321\n\n@h #654321", locale: "zh-CN", template: { kind: "otp", params: { code: "654321", minutes: "10" } } });
    return lines.join("\n");
  };

  it("shows the text on a developer's machine, with the number masked", async () => {
    const line = await send(undefined);
    expect(line).toContain("654321");
    expect(line).not.toContain("13800138000");
  });

  it("in a sandbox deployment names neither the number nor the code: its logs leave the machine", async () => {
    const line = await send(false);
    expect(line).toContain("138****8000");
    expect(line).not.toContain("654321");
  });
});
