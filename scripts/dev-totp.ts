/**
 * DEVELOPMENT ONLY (`npm run dev` runs it alongside): prints the current TOTP code of the demo
 * staff accounts (the public DEV_TOTP_SECRET of db/seed-data.ts) at start and every 30 seconds.
 */
import { DEV_TOTP_SECRET, staffSeed } from "../db/seed-data";
import { TOTP_PERIOD_S, totpCode } from "../lib/auth/totp";

function print() {
  const now = new Date();
  const left = TOTP_PERIOD_S - (Math.floor(now.getTime() / 1000) % TOTP_PERIOD_S);
  const emails = staffSeed.map((s) => s.email).join(", ");
  console.log(`demo staff code ${totpCode(DEV_TOTP_SECRET, now)} (${left}s left) for ${emails}`);
}

print();
if (!process.argv.includes("--once")) {
  // Aligned to the 30-second steps, so each line is printed as a new code starts.
  setTimeout(() => {
    print();
    setInterval(print, TOTP_PERIOD_S * 1000);
  }, (TOTP_PERIOD_S - (Math.floor(Date.now() / 1000) % TOTP_PERIOD_S)) * 1000 + 200);
}
