import { describe, expect, it } from "vitest";
import { completionSmsText, SMS_SIGN_NAME } from "./completion-sms";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

const counts = { unbound: 2, scheduled: 1, rejected: 0, needs_owner_action: 0, failed: 1 };

describe("the completion SMS", () => {
  it("opens with the one sign-name in both languages, like the sign-in code", () => {
    for (const locale of ["zh-CN", "en"] as const) expect(completionSmsText(locale, counts, "https://reclaim.example.cn", "b1").startsWith(SMS_SIGN_NAME)).toBe(true);
    expect(zh.sms.otp.startsWith(SMS_SIGN_NAME)).toBe(true);
    expect(en.sms.otp.startsWith(SMS_SIGN_NAME)).toBe(true);
  });

  it("links to the batch with an absolute URL, whatever the public URL's trailing slash or path", () => {
    expect(completionSmsText("en", counts, "https://reclaim.example.cn/", "b1")).toMatch(/ — details: https:\/\/reclaim\.example\.cn\/unbind\/b1$/);
    expect(completionSmsText("zh-CN", counts, "http://127.0.0.1:3000", "b 2")).toMatch(/。详情：http:\/\/127\.0\.0\.1:3000\/unbind\/b%202$/);
  });

  it("says a request that could not be delivered is with customer service", () => {
    expect(completionSmsText("zh-CN", counts, "https://r.cn", "b1")).toContain("未能送达 1 个（客服跟进中）");
  });
});
