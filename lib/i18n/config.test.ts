import { describe, expect, it } from "vitest";
import { negotiateLocale } from "./config";

describe("negotiateLocale", () => {
  it.each([
    [undefined, "zh-CN"],
    ["", "zh-CN"],
    ["zh-CN,zh;q=0.9", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["en-GB", "en"],
    ["zh-TW,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["fr-FR,fr;q=0.9,en;q=0.5", "en"],
    ["fr-FR,de;q=0.9", "zh-CN"],
    ["zh;q=0.2,en;q=0.8", "en"],
    ["en;q=0,zh-CN", "zh-CN"],
  ])("%s → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
