import { describe, expect, it } from "vitest";
import { staffSeed } from "@/db/seed-data";
import { staffDisplayName } from "./staff-name";

describe("a staff member's name on the page", () => {
  it("shows one language per page for a name kept in both", () => {
    expect(staffDisplayName("演示客服 / Demo agent", "zh-CN")).toBe("演示客服");
    expect(staffDisplayName("演示客服 / Demo agent", "en")).toBe("Demo agent");
  });

  it("shows any other name as it was entered", () => {
    expect(staffDisplayName("王芳", "en")).toBe("王芳");
    expect(staffDisplayName("Jane Doe", "zh-CN")).toBe("Jane Doe");
    expect(staffDisplayName("A / B / C", "en")).toBe("A / B / C");
    expect(staffDisplayName(" / Demo", "zh-CN")).toBe(" / Demo");
  });

  it("gives every demo account a name in each language", () => {
    for (const { displayName } of staffSeed) {
      const zh = staffDisplayName(displayName, "zh-CN");
      const en = staffDisplayName(displayName, "en");
      expect(zh).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(en).toMatch(/^[A-Za-z ]+$/);
    }
  });
});
