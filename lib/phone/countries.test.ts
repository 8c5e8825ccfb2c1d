import { describe, expect, it } from "vitest";
import { countryOptions } from "./countries";
import { servedCountries } from "./parse";

describe("the sign-in form's countries", () => {
  it("are only the served ones: mainland China alone by default", () => {
    expect(countryOptions("zh-CN", servedCountries(undefined))).toEqual([{ code: "CN", label: "中国 +86" }]);
    expect(countryOptions("en", servedCountries(""))).toEqual([{ code: "CN", label: "China +86" }]);
  });

  it("add OTP_ALLOWED_COUNTRIES, China first, the rest in the reader's order", () => {
    expect(countryOptions("en", servedCountries("mo, HK")).map((c) => c.label)).toEqual(["China +86", "Hong Kong SAR China +852", "Macao SAR China +853"]);
    // In Chinese order (pinyin): 中国澳门 (ào) before 中国香港 (xiāng).
    expect(countryOptions("zh-CN", servedCountries("HK,MO")).map((c) => c.code)).toEqual(["CN", "MO", "HK"]);
  });
});
