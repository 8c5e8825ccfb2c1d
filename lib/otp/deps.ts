import "server-only";
import { prepareDatabase } from "@/db/startup";
import { authSecret } from "@/lib/auth/secret";
import { appClock } from "@/lib/clock";
import { smsProvider } from "@/lib/sms";
import type { OtpDeps } from "./service";

/** The production wiring of the OTP service: this process's database, SMS provider and clock. */
export async function otpDeps(host: string): Promise<OtpDeps> {
  const { handle } = await prepareDatabase();
  return { db: handle.db, sms: smsProvider(), clock: appClock(), secret: authSecret(), host };
}
