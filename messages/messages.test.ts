import { describe, expect, it } from "vitest";
import en from "./en.json";
import zh from "./zh-CN.json";

type Tree = { [key: string]: string | Tree | Tree[] };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value as Tree, path)) out.set(k, v);
  }
  return out;
}

// `{name}` and `{name, plural, …}`; the text of a plural branch (`=0 {No platform…}`) is not one.
const placeholders = (message: string) => [...new Set([...message.matchAll(/\{(\w+)(?=[,}])/g)].map((m) => m[1]))].sort();

describe("messages", () => {
  const zhKeys = flatten(zh as Tree);
  const enKeys = flatten(en as Tree);

  it("has every key in both languages", () => {
    expect([...zhKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys.keys()].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it("has no empty message", () => {
    for (const [key, value] of [...zhKeys, ...enKeys]) expect(value.trim(), key).not.toBe("");
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, value] of zhKeys) expect(placeholders(enKeys.get(key) ?? ""), key).toEqual(placeholders(value));
  });

  // messages/GLOSSARY.md: one word for the previous owner in each language.
  it("names the previous owner one way per language", () => {
    for (const [key, value] of zhKeys) expect(value, key).not.toMatch(/前任号主|原账号持有人|原机主|老机主/);
    for (const [key, value] of enKeys) expect(value, key).not.toMatch(/former owner|previous holder/i);
  });
});
