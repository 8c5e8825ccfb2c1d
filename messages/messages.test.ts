import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CASE_STATUSES } from "@/db/enums";
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

  it("calls customer service's work one thing (工单, never 案件)", () => {
    for (const [key, value] of zhKeys) expect(value, key).not.toMatch(/案件/);
  });

  // The audit log page (app/agent/audit) words each action; one without words would show its code.
  it("has words in both languages for every action the service writes to the audit log", () => {
    const codes = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          for (const m of readFileSync(file, "utf8").matchAll(/action: "([a-z_]+\.[a-z_]+)"/g)) codes.add(m[1]!);
        }
      }
    };
    for (const dir of ["app", "lib"]) walk(path.join(process.cwd(), dir));
    // transitionCase writes `case.<status>` for each status it moves to.
    for (const status of CASE_STATUSES) codes.add(`case.${status}`);
    codes.add("case.replied");
    expect(codes.size).toBeGreaterThan(30);
    for (const code of codes) {
      expect(zhKeys.get(`agentAudit.actions.${code}`), `zh-CN agentAudit.actions.${code}`).toBeTruthy();
      expect(enKeys.get(`agentAudit.actions.${code}`), `en agentAudit.actions.${code}`).toBeTruthy();
    }
  });
});
