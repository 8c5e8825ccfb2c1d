import { describe, expect, it, vi } from "vitest";
import { platformCategory, type Platform } from "@/db/schema";
import { translator } from "@/lib/i18n/translator";
import { locales, type Locale } from "@/lib/i18n/config";

// platformLabeler reads the request's locale and messages; here they come from the catalogues.
const request = vi.hoisted(() => ({ locale: "zh-CN" }));
vi.mock("next-intl/server", async () => {
  const { translator } = await import("@/lib/i18n/translator");
  return {
    getLocale: async () => request.locale,
    getTranslations: async (namespace: string) => {
      const t = translator(request.locale as Locale);
      return (key: string, values?: Record<string, string>) => t(`${namespace}.${key}` as never, values as never);
    },
  };
});

const { categoryLetters, labelPlatform, platformLabeler } = await import("./labels");

const platform = (category: Platform["category"], disclosure: Platform["disclosure"]) => ({
  id: `p-${category}`,
  nameZh: "易贷花（沙盒）",
  nameEn: "Easy Credit (sandbox)",
  category,
  disclosure,
});

// A database with no category-only platforms: no letters.
const noPlatforms = { select: () => ({ from: () => ({ where: () => ({ orderBy: async () => [] }) }) }) } as never;

describe("platform labels: the category-only rule", () => {
  it("never names a category-only platform, in either language, and says which category it is", () => {
    for (const locale of locales) {
      const t = translator(locale);
      for (const category of platformCategory.enumValues) {
        const phrase = t(`lookup.categoryOnly.${category}`);
        const label = labelPlatform(platform(category, "category"), locale, (c) => t(`lookup.categoryOnly.${c}`));
        expect(label).toEqual({ id: `p-${category}`, label: phrase, category, categoryOnly: true });
        expect(label.label).not.toContain("易贷花");
        expect(label.label).not.toContain("Easy Credit");
        // Every category has its own phrase in every catalogue (a missing one would show the key).
        expect(phrase).not.toContain("categoryOnly");
      }
    }
  });

  it("names a named platform in the reader's language", () => {
    const never = () => {
      throw new Error("a named platform needs no category phrase");
    };
    expect(labelPlatform(platform("lending", "named"), "zh-CN", never)).toEqual({ id: "p-lending", label: "易贷花（沙盒）", category: "lending", categoryOnly: false });
    expect(labelPlatform(platform("lending", "named"), "en", never).label).toBe("Easy Credit (sandbox)");
  });

  it("labels in the request's language in pages", async () => {
    request.locale = "en";
    const label = await platformLabeler(noPlatforms);
    expect(label(platform("lending", "category")).label).toBe(translator("en")("lookup.categoryOnly.lending"));
    expect(label(platform("messaging", "named")).label).toBe("Easy Credit (sandbox)");
    request.locale = "zh-CN";
    expect((await platformLabeler(noPlatforms))(platform("lending", "category")).label).toBe(translator("zh-CN")("lookup.categoryOnly.lending"));
  });
});

describe("platform labels: two category-only platforms of one category", () => {
  const at = (iso: string) => new Date(iso);
  const lendingA = { id: "9f00", category: "lending" as const, disclosure: "category" as const, createdAt: at("2026-01-01T00:00:00Z") };
  const lendingB = { id: "0a00", category: "lending" as const, disclosure: "category" as const, createdAt: at("2026-02-01T00:00:00Z") };
  const lone = { id: "5500", category: "payments" as const, disclosure: "category" as const, createdAt: at("2026-01-01T00:00:00Z") };
  const named = { id: "0000", category: "lending" as const, disclosure: "named" as const, createdAt: at("2025-01-01T00:00:00Z") };

  it("letters them A, B in the order they joined, whatever order they come in; a lone one and a named one get none", () => {
    const letters = categoryLetters([lone, lendingB, named, lendingA]);
    expect(Object.fromEntries(letters)).toEqual({ "9f00": "A", "0a00": "B" });
    // Stable: the same letters from any order, and a later lending platform gets the next letter.
    expect(Object.fromEntries(categoryLetters([lendingA, lendingB, lone]))).toEqual({ "9f00": "A", "0a00": "B" });
    const later = { ...lendingA, id: "0001", createdAt: at("2026-03-01T00:00:00Z") };
    expect(Object.fromEntries(categoryLetters([later, lendingB, lendingA]))).toEqual({ "9f00": "A", "0a00": "B", "0001": "C" });
    // Joined at the same moment (one seed transaction): the id decides.
    const twin = { ...lendingB, createdAt: lendingA.createdAt };
    expect(Object.fromEntries(categoryLetters([lendingA, twin]))).toEqual({ "0a00": "A", "9f00": "B" });
  });

  it("says 'lending platform A / B' in both languages, never the name", () => {
    for (const locale of locales) {
      const t = translator(locale);
      const letters = categoryLetters([lendingA, lendingB]);
      const name = (c: Platform["category"], letter?: string) => (letter ? t(`lookup.categoryLettered.${c}` as never, { letter } as never) : t(`lookup.categoryOnly.${c}`));
      const a = labelPlatform({ ...platform("lending", "category"), id: "9f00" }, locale, name, letters);
      const b = labelPlatform({ ...platform("lending", "category"), id: "0a00" }, locale, name, letters);
      expect([a.label, b.label]).toEqual(locale === "en" ? ["Lending platform A", "Lending platform B"] : ["借贷平台 A", "借贷平台 B"]);
      expect(a.label + b.label).not.toMatch(/易贷花|Easy Credit/);
      // Every category has a lettered phrase with the letter in it.
      for (const category of platformCategory.enumValues) expect(name(category, "Q")).toContain("Q");
    }
  });

  it("pages get the letters from the database", async () => {
    request.locale = "en";
    const db = { select: () => ({ from: () => ({ where: () => ({ orderBy: async () => [lendingA, lendingB] }) }) }) } as never;
    const label = await platformLabeler(db);
    expect(label({ ...platform("lending", "category"), id: "0a00" }).label).toBe("Lending platform B");
    expect(label({ ...platform("payments", "category"), id: "5500" }).label).toBe(translator("en")("lookup.categoryOnly.payments"));
    request.locale = "zh-CN";
  });
});
