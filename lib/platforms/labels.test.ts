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
      return (key: string) => t(`${namespace}.${key}` as never);
    },
  };
});

const { labelPlatform, platformLabeler } = await import("./labels");

const platform = (category: Platform["category"], disclosure: Platform["disclosure"]) => ({
  id: `p-${category}`,
  nameZh: "易贷花（沙盒）",
  nameEn: "Easy Credit (sandbox)",
  category,
  disclosure,
});

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
    const label = await platformLabeler();
    expect(label(platform("lending", "category")).label).toBe(translator("en")("lookup.categoryOnly.lending"));
    expect(label(platform("messaging", "named")).label).toBe("Easy Credit (sandbox)");
    request.locale = "zh-CN";
    expect((await platformLabeler())(platform("lending", "category")).label).toBe(translator("zh-CN")("lookup.categoryOnly.lending"));
  });
});
