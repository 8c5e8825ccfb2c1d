import { describe, expect, it } from "vitest";
import { maskNumber } from "./mask";

describe("maskNumber", () => {
  it("masks a mainland mobile number the way carriers print it", () => {
    expect(maskNumber("+8613800138000")).toBe("138****8000");
  });

  it("keeps only the country code and last four digits elsewhere", () => {
    expect(maskNumber("+14155550123")).toBe("+14*****0123");
    expect(maskNumber("+447700900123")).toBe("+44******0123");
  });

  it("never returns a short number in full", () => {
    expect(maskNumber("+1234567")).toBe("+*******");
  });
});
