import { describe, expect, it } from "vitest";
import { parseMobile, servedCountries } from "./parse";

const served = servedCountries(undefined);

describe("parseMobile", () => {
  it.each(["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086 13800138000", "(+86)13800138000", "１３８００１３８０００"])(
    "accepts %s as +8613800138000",
    (input) => {
      expect(parseMobile(input, "CN", served)).toEqual({ ok: true, e164: "+8613800138000", country: "CN" });
    },
  );

  it("refuses what is not a valid number", () => {
    expect(parseMobile("", "CN", served)).toEqual({ ok: false, error: "invalid_number" });
    expect(parseMobile("12345", "CN", served)).toEqual({ ok: false, error: "invalid_number" });
    expect(parseMobile("hello", "CN", served)).toEqual({ ok: false, error: "invalid_number" });
  });

  it("refuses landlines: codes go by SMS", () => {
    expect(parseMobile("010 6552 9988", "CN", served)).toEqual({ ok: false, error: "not_mobile" });
  });

  it("refuses countries not served, before any SMS (SMS-pumping defence)", () => {
    expect(parseMobile("+44 7911 123456", "CN", served)).toEqual({ ok: false, error: "country_not_served" });
    expect(parseMobile("6123 4567", "HK", served)).toEqual({ ok: false, error: "country_not_served" });
    expect(parseMobile("6123 4567", "HK", servedCountries("hk, MO"))).toEqual({ ok: true, e164: "+85261234567", country: "HK" });
  });
});

describe("servedCountries", () => {
  it("always serves mainland China and ignores junk", () => {
    expect(servedCountries("")).toEqual(["CN"]);
    expect(servedCountries("HK,xx1, ,US")).toEqual(["CN", "HK", "US"]);
  });
});
