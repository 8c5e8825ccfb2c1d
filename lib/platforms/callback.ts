import type { z } from "zod";
import type { Db } from "@/db";
import { partnerCallbacks } from "@/db/schema";
import { MAX_BODY_BYTES } from "./client";
import { verify, type HeaderSource } from "./signing";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type CallbackResponse = { status: number; body: Record<string, unknown> };

export interface CallbackInput {
  headers: HeaderSource;
  body: string;
  /** Stamps the database rows (the app clock). */
  now: Date;
  /** The signature's 5-minute window is checked against this: the real time the platform signed with. */
  wallClock?: Date;
}

/**
 * The part every platform → Reclaim callback shares: a 20 kB cap, JSON, the schema, the subject it
 * is about (404 when unknown), a signature by the platform that subject went to (401 otherwise),
 * and idempotency on `webhook-id`: a redelivered callback is acknowledged and not applied again.
 * `apply` runs in the same transaction as the idempotency record.
 */
export async function receiveCallback<S extends z.ZodType, T extends { platformId: string; secrets: string[] }>(
  db: Db,
  input: CallbackInput,
  spec: {
    schema: S;
    find: (data: z.infer<S>) => Promise<T | undefined>;
    unknown: string;
    apply: (tx: Tx, data: z.infer<S>, subject: T) => Promise<CallbackResponse>;
  },
): Promise<CallbackResponse> {
  if (Buffer.byteLength(input.body) > MAX_BODY_BYTES) return { status: 413, body: { error: "body_too_large" } };
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return { status: 400, body: { error: "invalid_json" } };
  }
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    return { status: 400, body: { error: "invalid_body", issues: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`) } };
  }
  const subject = await spec.find(parsed.data);
  if (!subject) return { status: 404, body: { error: spec.unknown } };
  // Only the platform the request went to can answer it.
  const signature = verify(subject.secrets, input.headers, input.body, { now: input.wallClock ?? new Date() });
  if (!signature.ok) return { status: 401, body: { error: "bad_signature", reason: signature.reason } };

  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(partnerCallbacks)
      .values({ webhookId: signature.id, platformId: subject.platformId, receivedAt: input.now })
      .onConflictDoNothing()
      .returning({ id: partnerCallbacks.webhookId });
    if (fresh.length === 0) return { status: 200, body: { ok: true, duplicate: true } };
    return spec.apply(tx, parsed.data, subject);
  });
}
