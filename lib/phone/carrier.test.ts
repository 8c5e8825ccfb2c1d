import { describe, expect, it } from "vitest";
import { carrierFromPrefix } from "./carrier";

describe("carrierFromPrefix", () => {
  it("maps mainland prefixes to the three carriers", async () => {
    expect(await carrierFromPrefix("+8613800138000")).toBe("cmcc");
    expect(await carrierFromPrefix("+8618620001234")).toBe("cucc");
    expect(await carrierFromPrefix("+8615300001111")).toBe("ctcc");
  });

  it("knows nothing of numbers outside the mainland", async () => {
    expect(await carrierFromPrefix("+85261234567")).toBeNull();
  });
});
