import { createHash } from "node:crypto";
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { smsOutbox } from "@/db/schema";
import { maskNumber } from "@/lib/phone/mask";
import type { SmsProvider } from "./types";

/**
 * Development provider: "sends" by writing to the sms_outbox table (shown at /dev/sms and read by
 * the e2e tests) and printing to the developer's terminal. Refused in production (lib/env.ts)
 * except for a sandbox deployment, whose logs leave the machine: there the line names no text
 * (`showText` false), because the text holds a sign-in code and codes are never logged.
 */
export function createDevProvider(db: () => Promise<Db>, print: (line: string) => void = console.info, { showText = true } = {}): SmsProvider {
  return {
    name: "dev",
    async send(message) {
      const [row] = await (await db())
        .insert(smsOutbox)
        .values({ to: message.to, body: message.body, viewer: message.device ? viewerKey(message.device) : null })
        .returning({ id: smsOutbox.id });
      print(`[sms:dev] to ${maskNumber(message.to)} (text at /dev/sms)${showText ? `: ${message.body.split("\n")[0]}` : ""}`);
      return { providerMessageId: `dev-${row!.id}` };
    },
  };
}

/** How a message is tied to the browser that asked for it, without storing the device id itself. */
function viewerKey(device: string): string {
  return createHash("sha256").update(`dev-sms-viewer:${device}`).digest("base64url");
}

/**
 * The newest messages, optionally for one number. `device` set: only those asked for by that
 * browser (a public sandbox shows visitors their own codes, never each other's); `null`: none.
 */
export async function readOutbox(db: Db, to?: string, limit = 20, device?: string | null) {
  if (device === null) return [];
  const filters: SQL[] = [];
  if (to) filters.push(eq(smsOutbox.to, to));
  if (device !== undefined) filters.push(eq(smsOutbox.viewer, viewerKey(device)));
  return db
    .select()
    .from(smsOutbox)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(smsOutbox.id))
    .limit(limit);
}
