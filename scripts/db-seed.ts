import { closeDatabase, getDatabase } from "../db";
import { migrateDatabase } from "../db/migrate";
import { seedDatabase } from "../db/seed";
import { demoLoginLines } from "../db/seed-data";

async function main() {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  const summary = await seedDatabase(handle.db, { sandboxPartnerUrl: process.env.SANDBOX_PARTNER_URL });
  console.log(
    `Seeded ${handle.engine}: ${summary.carriers} carriers, ${summary.platforms} sandbox platforms, ` +
      `${summary.tenures} new tenure(s), ${summary.staff} staff accounts.`,
  );
  console.log(`\n${demoLoginLines().join("\n")}`);
}

main()
  .catch((err: unknown) => {
    console.error("Seeding failed:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(closeDatabase);
