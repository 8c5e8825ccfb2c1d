import { describe, expect, it } from "vitest";
import { prefilled12321 } from "./guidance";

describe("the text for 12321", () => {
  const base = {
    category: "debt_collection" as const,
    channel: "sms" as const,
    sender: "13912345678",
    receivedAt: new Date("2026-11-28T02:05:00Z"),
    text: "【易贷花】刘某某 因欠款逾期，请联系 13812345678 处理欠款3,280.50元",
  };

  it("is in Chinese, says what happened and when (Beijing time), and carries no personal data", () => {
    const text = prefilled12321(base);
    expect(text).toMatch(/^举报短信（催收骚扰）。发送方：139\*+78。收到时间：2026年11月28日 10:05。内容：“【易贷花】刘\*\* 因欠款逾期/);
    expect(text).toContain("二次号");
    // The message is quoted and closed, so it cannot run into the sentence after it.
    expect(text).toMatch(/内容：“【易贷花】[^”]+”。本号码为运营商重新放号的二次号/);
    for (const plain of ["刘某某", "13812345678", "13912345678", "3,280.50"]) expect(text).not.toContain(plain);
  });

  it("keeps a long message short enough to send, and leaves out a sender that was not given", () => {
    const text = prefilled12321({ ...base, channel: "call", category: "previous_owner", sender: null, text: "原机主来电要验证码。".repeat(100) });
    expect(text.startsWith("举报来电（前机主联系）。收到时间：")).toBe(true);
    expect(text).not.toContain("发送方");
    expect(text.length).toBeLessThan(400);
    expect(text).toContain("…");
  });
});
