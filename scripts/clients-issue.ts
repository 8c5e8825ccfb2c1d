/**
 * `npm run clients:issue -- --platform <slug>` issues an OAuth client for the platform APIs
 * (docs/camara.md); `--rotate <client_id>` gives a live client a new secret; `--revoke <client_id>`
 * ends one. A secret is printed once: only its SHA-256 is stored, so it cannot be shown again.
 */
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase, type Db } from "../db";
import { migrateDatabase } from "../db/migrate";
import { issueClient, revokeClient, rotateClientSecret } from "../lib/camara/clients";

const USAGE = "Usage: npm run clients:issue -- --platform <slug> [--rate <per second>] | --rotate <client_id> | --revoke <client_id>";

/** The command on an open database; returns the exit code. */
export async function clientsIssue(db: Db, argv: string[], out: (line: string) => void, err: (line: string) => void, now = new Date()): Promise<number> {
  let values: { platform?: string; rate?: string; rotate?: string; revoke?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { platform: { type: "string" }, rate: { type: "string" }, rotate: { type: "string" }, revoke: { type: "string" } }, strict: true }));
  } catch (error) {
    err(`clients:issue: ${error instanceof Error ? error.message : String(error)}`);
    err(USAGE);
    return 1;
  }
  if ([values.platform, values.rotate, values.revoke].filter(Boolean).length !== 1) {
    err(USAGE);
    return 1;
  }
  if (values.rotate) {
    const rotated = await rotateClientSecret(db, values.rotate, now);
    if (!rotated.ok) return (err(`clients:issue: no live client ${values.rotate}`), 1);
    out(`New secret for ${values.rotate} (shown once; the old secret and its tokens stop working now):`);
    out(`client_secret: ${rotated.clientSecret}`);
    return 0;
  }
  if (values.revoke) {
    if (!(await revokeClient(db, values.revoke, now))) return (err(`clients:issue: no live client ${values.revoke}`), 1);
    out(`Revoked ${values.revoke}: no new tokens, and its tokens are refused from now on.`);
    return 0;
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isInteger(rate) && rate > 0 && rate <= 10_000)) {
    err("clients:issue: --rate is a whole number of requests per second from 1 to 10000");
    return 1;
  }
  const issued = await issueClient(db, { platformSlug: values.platform!, ratePerSecond: rate });
  if (!issued.ok) return (err(`clients:issue: no platform with slug ${values.platform}`), 1);
  out(`Issued a client for ${values.platform} (scope number-recycling:check). The secret is shown once:`);
  out(`client_id:     ${issued.clientId}`);
  out(`client_secret: ${issued.clientSecret}`);
  return 0;
}

async function main(): Promise<number> {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  return clientsIssue(handle.db, process.argv.slice(2), console.log, console.error);
}

if (process.argv[1]?.endsWith("clients-issue.ts")) {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error("clients:issue failed:", error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(closeDatabase);
}
