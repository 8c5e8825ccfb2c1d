import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { smsOutbox } from "@/db/schema";
import { maskNumber } from "@/lib/phone/mask";
import type { SmsProvider } from "./types";

/**
 * Development provider: "sends" by writing to the sms_outbox table (shown at /dev/sms and read by
 * the e2e tests) and printing to the developer's terminal. Refused in production (lib/env.ts).
 */
export function createDevProvider(db: () => Promise<Db>, print: (line: string) => void = console.info): SmsProvider {
  return {
    name: "dev",
    async send(message) {
      const [row] = await (await db()).insert(smsOutbox).values({ to: message.to, body: message.body }).returning({ id: smsOutbox.id });
      print(`[sms:dev] to ${maskNumber(message.to)} (full text at /dev/sms): ${message.body.split("\n")[0]}`);
      return { providerMessageId: `dev-${row!.id}` };
    },
  };
}

export async function readOutbox(db: Db, to?: string, limit = 20) {
  const query = db.select().from(smsOutbox).orderBy(desc(smsOutbox.id)).limit(limit);
  return to ? query.where(eq(smsOutbox.to, to)) : query;
}
