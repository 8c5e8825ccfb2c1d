/**
 * `npm run staff:create -- --email a@b.cn --role agent --carrier CMCC --name "王芳 / Wang Fang"`
 * Creates a staff account on the configured database (DATABASE_URL, else the PGlite dev database)
 * and prints its one-time password, which must be changed at first sign-in. Nothing else secret is
 * printed; the second factor is enrolled at that first sign-in.
 */
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase, type Db } from "../db";
import { migrateDatabase } from "../db/migrate";
import { createStaffUser } from "../lib/auth/staff";

/** The command on an open database; returns the exit code. */
export async function staffCreate(db: Db, engine: string, argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { email: { type: "string" }, role: { type: "string" }, carrier: { type: "string" }, name: { type: "string" } }, strict: true }));
  } catch (error) {
    err(`staff:create: ${error instanceof Error ? error.message : String(error)}`);
    err('Usage: npm run staff:create -- --email a@b.cn --role agent|supervisor|regulator|admin [--carrier CMCC] --name "王芳 / Wang Fang"');
    return 1;
  }
  const result = await createStaffUser(db, values);
  if (!result.ok) {
    for (const line of result.errors) err(`staff:create: ${line}`);
    return 1;
  }
  out(`Created ${values.role} ${result.email} on ${engine}.`);
  out(`One-time password (shown once; it must be changed at first sign-in): ${result.password}`);
  out("At first sign-in (/staff/login) they choose a password and set up an authenticator app.");
  return 0;
}

async function main(): Promise<number> {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  return staffCreate(handle.db, handle.engine, process.argv.slice(2), console.log, console.error);
}

if (process.argv[1]?.endsWith("staff-create.ts")) {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error("staff:create failed:", error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(closeDatabase);
}
