import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_ERROR_CODES, AppError, appErrorMessage } from "./errors";

const messages = (locale: string) => JSON.parse(readFileSync(path.resolve(__dirname, `../messages/${locale}.json`), "utf8")) as Record<string, unknown>;
const lookup = (tree: Record<string, unknown>, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

describe("AppError codes", () => {
  it("are what:subject, each mapped to a message that exists in every language", () => {
    for (const locale of ["zh-CN", "en"]) {
      const tree = messages(locale);
      const missing = APP_ERROR_CODES.filter((code) => typeof lookup(tree, appErrorMessage(code)) !== "string");
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
    expect(APP_ERROR_CODES.filter((code) => !/^[a-z_]+:[a-z_]+$/.test(code))).toEqual([]);
  });

  it("carry a status (400 unless said), details and the field they belong beside", () => {
    const error = new AppError("wrong_code:otp", { details: { triesLeft: 2 }, field: "code" });
    expect(error).toMatchObject({ code: "wrong_code:otp", status: 400, details: { triesLeft: 2 }, field: "code", message: "wrong_code:otp" });
    expect(new AppError("daily_limit:report", { status: 429 }).status).toBe(429);
  });
});
