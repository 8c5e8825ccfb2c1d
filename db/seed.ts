import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { sealTotpSecret } from "@/lib/auth/totp";
import { env } from "@/lib/env";
import type { Db } from "./index";
import { carriers, numberTenures, platforms, staffUsers } from "./schema";
import { carrierSeed, DEV_TOTP_SECRET, platformSeed, sandboxSigningSecret, staffSeed, tenureSeed } from "./seed-data";

export const DEFAULT_SANDBOX_PARTNER_URL = "http://127.0.0.1:4010";

export interface SeedSummary {
  carriers: number;
  platforms: number;
  tenures: number;
  staff: number;
}

/**
 * Idempotent: running it twice leaves the same rows. Existing rows are never overwritten, so an
 * operator's change (a paused platform, a corrected tenure) survives a re-seed.
 */
export async function seedDatabase(
  db: Db,
  options: { sandboxPartnerUrl?: string; /** Defaults to: not a production deployment, or a sandbox one. */ devTotp?: boolean } = {},
): Promise<SeedSummary> {
  // The demo staff's second factor is a public development secret: never in a real deployment.
  const config = env();
  const devTotp = options.devTotp ?? (!config.production || config.sandbox);
  const partnerUrl = (options.sandboxPartnerUrl ?? DEFAULT_SANDBOX_PARTNER_URL).replace(/\/+$/, "");
  const staffRows = await Promise.all(
    staffSeed.map(async (s) => ({ ...s, passwordHash: await hashPassword(s.password) })),
  );

  return db.transaction(async (tx) => {
    await tx.insert(carriers).values([...carrierSeed]).onConflictDoNothing({ target: carriers.code });
    const carrierRows = await tx.select({ id: carriers.id, code: carriers.code }).from(carriers);
    const carrierId = new Map(carrierRows.map((c) => [c.code, c.id]));

    await tx
      .insert(platforms)
      .values(
        platformSeed.map((p) => ({
          ...p,
          baseUrl: `${partnerUrl}/${p.slug}`,
          sandbox: true,
          status: "active" as const,
          signingSecrets: [sandboxSigningSecret(p.slug)],
        })),
      )
      .onConflictDoNothing({ target: platforms.slug });
    // Sandbox platforms seeded before they had secrets or sender ids get theirs; set ones are left alone.
    for (const p of platformSeed) {
      await tx
        .update(platforms)
        .set({ signingSecrets: [sandboxSigningSecret(p.slug)] })
        .where(and(eq(platforms.slug, p.slug), eq(platforms.sandbox, true), sql`cardinality(${platforms.signingSecrets}) = 0`));
      await tx
        .update(platforms)
        .set({ senderIds: p.senderIds })
        .where(and(eq(platforms.slug, p.slug), eq(platforms.sandbox, true), sql`cardinality(${platforms.senderIds}) = 0`));
    }

    let tenures = 0;
    for (const t of tenureSeed) {
      const startedAt = new Date(t.startedAt);
      const existing = await tx
        .select({ id: numberTenures.id })
        .from(numberTenures)
        .where(and(eq(numberTenures.number, t.number), eq(numberTenures.startedAt, startedAt)));
      if (existing.length > 0) continue;
      // Never open a second tenure on a number that already has one open (e.g. set by an agent).
      if (!t.endedAt) {
        const open = await tx
          .select({ id: numberTenures.id })
          .from(numberTenures)
          .where(and(eq(numberTenures.number, t.number), isNull(numberTenures.endedAt)));
        if (open.length > 0) continue;
      }
      await tx.insert(numberTenures).values({
        number: t.number,
        carrierId: carrierId.get(t.carrier),
        startedAt,
        endedAt: t.endedAt ? new Date(t.endedAt) : null,
        source: t.source,
        simChangedAt: t.simChangedAt ? new Date(t.simChangedAt) : null,
      });
      tenures++;
    }

    await tx
      .insert(staffUsers)
      .values(
        staffRows.map((s) => {
          // The id is chosen here because the encrypted secret is bound to it.
          const id = randomUUID();
          return {
            id,
            email: s.email,
            displayName: s.displayName,
            role: s.role,
            carrierId: s.carrier ? carrierId.get(s.carrier) : null,
            passwordHash: s.passwordHash,
            ...(devTotp ? { totpSecret: sealTotpSecret(id, DEV_TOTP_SECRET), totpEnabledAt: new Date() } : {}),
          };
        }),
      )
      .onConflictDoNothing({ target: staffUsers.email });
    // Demo staff seeded before the second factor get the dev secret; an enrolled one keeps its own.
    if (devTotp) {
      for (const s of staffSeed) {
        const [row] = await tx.select({ id: staffUsers.id, totpSecret: staffUsers.totpSecret }).from(staffUsers).where(eq(staffUsers.email, s.email));
        if (row && !row.totpSecret) {
          await tx.update(staffUsers).set({ totpSecret: sealTotpSecret(row.id, DEV_TOTP_SECRET), totpEnabledAt: new Date() }).where(eq(staffUsers.id, row.id));
        }
      }
    }

    return { carriers: carrierRows.length, platforms: platformSeed.length, tenures, staff: staffRows.length };
  });
}

export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: carriers.id }).from(carriers).limit(1);
  return rows.length === 0;
}
