import "server-only";
import { ne } from "drizzle-orm";
import type { Db } from "@/db";
import { platforms } from "@/db/schema";
import type { PlatformSignature } from "./classify";

/** A platform the owner can name in a report, with what identifies its messages (the form's suggestion). */
export interface PlatformOption extends PlatformSignature {
  label: string;
}

/** "连信（沙盒）" → "连信": how a platform's name appears in the messages it sends. */
const bareName = (name: string) => name.replace(/\s*[（(](沙盒|sandbox)[)）]\s*$/i, "").trim();

/**
 * The participating platforms an owner can name in a report, with what identifies their messages.
 * Reports name the platform the owner saw in the message, so every platform is listed by its name
 * here, including those shown by category in look-ups: naming one says nothing about the number.
 */
export async function reportPlatformOptions(db: Db, locale: string): Promise<PlatformOption[]> {
  const rows = await db
    .select({ id: platforms.id, nameZh: platforms.nameZh, nameEn: platforms.nameEn, senderIds: platforms.senderIds })
    .from(platforms)
    .where(ne(platforms.status, "disabled"))
    .orderBy(platforms.slug);
  return rows
    .map((p) => ({
      id: p.id,
      label: locale === "en" ? p.nameEn : p.nameZh,
      names: [bareName(p.nameZh), bareName(p.nameEn)],
      senderIds: p.senderIds,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}
