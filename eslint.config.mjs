import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

const NO_QUERIES = "app/ and components/ do not query: call a function in lib/<domain>/queries.ts (docs/architecture.md).";
const DB_HANDLE = "Only types from @/db here: get the handle from prepareDatabase() (@/db/startup) and pass handle.db to lib/.";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "db/migrations/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Configuration is read in one place: env() from lib/env.ts validates it and derives typed values.
    files: ["**/*.{ts,tsx,mts,mjs}"],
    ignores: [
      "lib/env.ts",
      // Build and tool configuration, command-line entry points and test harnesses read their own settings.
      "*.config.{ts,mts,mjs}",
      "scripts/**",
      "bench/**",
      "e2e/**",
      "sandbox/**",
      "**/*.test.ts",
      "**/testing.ts",
      "**/testing-*.ts",
      // Next.js replaces these two at build time (the runtime and build phase): they cannot be read through env().
      "instrumentation.ts",
    ],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts (add the variable to its schema)." }],
    },
  },
  {
    // Routes and UI never query: pages and actions call lib/<domain>/queries.ts (or other lib
    // functions) with the handle from `prepareDatabase()` (@/db/startup). Schema and Db types are fine.
    files: ["app/**", "components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "drizzle-orm", message: NO_QUERIES },
            ...["@/db", "@/db/index"].map((name) => ({ name, allowTypeImports: true, message: DB_HANDLE })),
          ],
          patterns: [
            { group: ["drizzle-orm/*"], message: NO_QUERIES },
            {
              group: ["@/db/schema", "@/db/schema/*", "**/db/schema", "**/db/schema/*"],
              allowTypeImports: true,
              message: `Only \`import type\` from the schema here. ${NO_QUERIES}`,
            },
          ],
        },
      ],
    },
  },
]);
