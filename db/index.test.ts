import { describe, expect, it } from "vitest";
import { configFromEnv, engineFor } from "./index";

describe("engine choice", () => {
  it("prefers DATABASE_URL, then POSTGRES_URL, else embedded PGlite", () => {
    expect(engineFor(configFromEnv({ DATABASE_URL: "postgres://a", POSTGRES_URL: "postgres://b" }))).toBe("postgres");
    expect(engineFor(configFromEnv({ POSTGRES_URL: "postgres://b" }))).toBe("vercel-postgres");
    expect(engineFor(configFromEnv({ DATABASE_URL: "" }))).toBe("pglite");
    expect(configFromEnv({ PGLITE_DIR: "memory://" }).pgliteDir).toBe("memory://");
  });
});
