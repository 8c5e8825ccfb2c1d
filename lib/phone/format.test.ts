import { describe, expect, it } from "vitest";
import { formatNumber } from "./format";

describe("formatNumber", () => {
  it("shows the whole number, grouped, so a typo can be seen", () => {
    expect(formatNumber("+8613800138000")).toBe("138 0013 8000");
    expect(formatNumber("+85251234567")).toBe("+852 5123 4567");
    expect(formatNumber("not a number")).toBe("not a number");
  });
});
