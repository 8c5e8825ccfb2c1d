import type { z } from "zod";
import type { Db, Tx } from "@/db";
import { partnerCallbacks, platforms } from "@/db/schema";
import { cleanStrings } from "@/lib/text";
import { MAX_BODY_BYTES } from "./client";
import { verify, type HeaderSource } from "./signing";

export type CallbackResponse = { status: number; body: Record<string, unknown> };

export interface CallbackInput {
  headers: HeaderSource;
  body: string;
  /** Stamps the database rows (the app clock). */
  now: Date;
  /** The signature's 5-minute window is checked against this: the real time the platform signed with. */
  wallClock?: Date;
}

/** The cap on a callback body (the route reads the stream with it, this checks again for direct callers). */
export const MAX_CALLBACK_BYTES = MAX_BODY_BYTES;

/**
 * The part every platform → Reclaim callback shares, in this order (docs/partner-api.md §4):
 * 1. a 20 kB cap (413);
 * 2. the signature (401): verified against every platform's secrets, so the sender is known before
 *    a byte of the body is judged and an unsigned caller learns nothing about which ids exist;
 * 3. JSON and the schema (400), with NUL and other control characters removed from every string;
 * 4. the subject, which must belong to the signing platform (404 otherwise, as for an unknown id);
 * 5. idempotency on (platform, `webhook-id`): a redelivered callback is acknowledged and not applied
 *    again; each platform chooses its own ids, so one platform's id never hides another's callback.
 * `apply` runs in the same transaction as the idempotency record.
 */
export async function receiveCallback<S extends z.ZodType, T extends { platformId: string }>(
  db: Db,
  input: CallbackInput,
  spec: {
    schema: S;
    find: (data: z.infer<S>) => Promise<T | undefined>;
    unknown: string;
    apply: (tx: Tx, data: z.infer<S>, subject: T) => Promise<CallbackResponse>;
  },
): Promise<CallbackResponse> {
  if (Buffer.byteLength(input.body) > MAX_CALLBACK_BYTES) return { status: 413, body: { error: "body_too_large" } };

  const signer = await signingPlatform(db, input);
  if (!signer.ok) return { status: 401, body: { error: "bad_signature", reason: signer.reason } };

  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return { status: 400, body: { error: "invalid_json" } };
  }
  const parsed = spec.schema.safeParse(cleanStrings(json));
  if (!parsed.success) {
    return { status: 400, body: { error: "invalid_body", issues: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`) } };
  }
  const subject = await spec.find(parsed.data);
  // Only the platform the request went to can answer it; to any other it does not exist.
  if (!subject || subject.platformId !== signer.platformId) return { status: 404, body: { error: spec.unknown } };

  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(partnerCallbacks)
      .values({ webhookId: signer.webhookId, platformId: signer.platformId, receivedAt: input.now })
      .onConflictDoNothing()
      .returning({ id: partnerCallbacks.webhookId });
    if (fresh.length === 0) return { status: 200, body: { ok: true, duplicate: true } };
    return spec.apply(tx, parsed.data, subject);
  });
}

async function signingPlatform(
  db: Db,
  input: CallbackInput,
): Promise<{ ok: true; platformId: string; webhookId: string } | { ok: false; reason: string }> {
  const candidates = await db.select({ id: platforms.id, secrets: platforms.signingSecrets }).from(platforms);
  let reason = "bad_signature";
  let found: { platformId: string; webhookId: string } | undefined;
  // Every platform is tried (a handful of HMACs), so the time taken does not say which one signed.
  for (const platform of candidates) {
    if (platform.secrets.length === 0) continue;
    const result = verify(platform.secrets, input.headers, input.body, { now: input.wallClock ?? new Date() });
    if (result.ok) found ??= { platformId: platform.id, webhookId: result.id };
    else if (result.reason !== "bad_signature") reason = result.reason;
  }
  return found ? { ok: true, ...found } : { ok: false, reason };
}
