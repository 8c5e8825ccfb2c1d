import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { owners } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { TERMS_VERSION } from "@/lib/otp/config";

/**
 * The owner record behind a successful code: created on first sign-in with the terms they accepted,
 * touched on every later one.
 */
export async function signInOwner(db: Db, input: { number: string; verifiedAt: Date; termsVersion: string | null }) {
  const terms = input.termsVersion ?? TERMS_VERSION;
  const [owner] = await db
    .insert(owners)
    .values({ number: input.number, termsVersion: terms, termsAcceptedAt: input.verifiedAt, lastSignInAt: input.verifiedAt, lastVerifiedAt: input.verifiedAt })
    .onConflictDoUpdate({
      target: owners.number,
      set: {
        lastSignInAt: input.verifiedAt,
        lastVerifiedAt: input.verifiedAt,
        termsVersion: sql`case when excluded.terms_version is not null then excluded.terms_version else ${owners.termsVersion} end`,
      },
    })
    .returning();
  await recordAudit(db, { actorType: "owner", actorId: owner!.id, action: "owner.signed_in" });
  return owner!;
}
