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
