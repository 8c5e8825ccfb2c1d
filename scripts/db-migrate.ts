import { closeDatabase, getDatabase } from "../db";
import { migrateDatabase } from "../db/migrate";

async function main() {
  const handle = await getDatabase();
  const count = await migrateDatabase(handle);
  console.log(`Migrations up to date on ${handle.engine}: ${count} applied.`);
}

main()
  .catch((err: unknown) => {
    console.error("Migration failed:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(closeDatabase);
