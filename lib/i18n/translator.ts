import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import type { Locale } from "./config";

const catalogues = { "zh-CN": zh, en } as const;

/** Translations outside a request (SMS texts, background work), for a given locale. */
export function translator(locale: Locale) {
  return createTranslator({ locale, messages: catalogues[locale] });
}
