import { closeDatabase, getDatabase } from "../db";
import { migrateDatabase } from "../db/migrate";
import { seedDatabase } from "../db/seed";
import { DEMO_OWNER_NUMBER, staffSeed } from "../db/seed-data";

async function main() {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  const summary = await seedDatabase(handle.db, { sandboxPartnerUrl: process.env.SANDBOX_PARTNER_URL });
  console.log(
    `Seeded ${handle.engine}: ${summary.carriers} carriers, ${summary.platforms} sandbox platforms, ` +
      `${summary.tenures} new tenure(s), ${summary.staff} staff accounts.`,
  );
  console.log("\nDemo logins (sandbox only):");
  console.log(`  owner      ${DEMO_OWNER_NUMBER}  (sign in with an SMS code)`);
  for (const s of staffSeed) console.log(`  ${s.role.padEnd(10)} ${s.email}  password: ${s.password}`);
}

main()
  .catch((err: unknown) => {
    console.error("Seeding failed:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(closeDatabase);
