// Run by db/errors.test.ts under tsx, as `npm run worker`, scripts and benches run: provokes a
// database error on an owner path and prints everything a logger could show of it.
import { inspect } from "node:util";
import { sql } from "drizzle-orm";
import { signInOwner } from "@/lib/auth/owner";
import { createTestDatabase } from "./testing";

async function main() {
  const t = await createTestDatabase();
  try {
    await t.db.execute(sql.raw(`create function refuse_owner() returns trigger language plpgsql as $$ begin raise exception 'refused %', new.number using errcode = 'P0001'; end $$`));
    await t.db.execute(sql.raw(`create trigger refuse_owner before insert on owners for each row execute function refuse_owner()`));
    const error = await signInOwner(t.db, { number: "+8613912345678", verifiedAt: new Date(), termsVersion: null }).catch((e: unknown) => e);
    console.log([String(error), (error as Error).stack, inspect(error, { depth: 10 })].join("\n"));
  } finally {
    await t.dispose();
  }
}

void main();
