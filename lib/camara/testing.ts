import { numberTenures, platforms } from "@/db/schema";
import type { TestDatabase } from "@/db/testing";
import { fakeClock } from "@/lib/clock";
import { generateSigningJwk, loadSigningKeys, type SigningKey } from "@/lib/platforms/keys";
import type { TenureSource } from "@/db/enums";
import { issueClient, liveClient } from "./clients";
import { issueAccessToken } from "./token";
import type { PlatformApiDeps } from "./route";

/** A platform with a client, its own signing keys and a fake clock, for the platform API tests. */
export async function platformApiFixture(t: TestDatabase, slug = "camara-test") {
  const keys: SigningKey[] = await loadSigningKeys(JSON.stringify([await generateSigningJwk("camara-test-1")]));
  const clock = fakeClock("2026-11-28T08:00:00Z");
  const deps: PlatformApiDeps = { db: async () => t.db, clock, keys };
  await t.db.insert(platforms).values({ slug, nameZh: "测试", nameEn: "Test", category: "messaging", baseUrl: "http://127.0.0.1:1" });
  const issued = await issueClient(t.db, { platformSlug: slug });
  if (!issued.ok) throw new Error("fixture: no client");
  /** A token as the token endpoint would give (scopes default to the client's grant). */
  const token = async (scopes = ["number-recycling:check"], clientId = issued.clientId) => {
    const client = await liveClient(t.db, clientId);
    return (await issueAccessToken(client!, scopes, { now: clock.now(), keys })).token;
  };
  return { keys, clock, deps: () => deps, clientId: issued.clientId, clientSecret: issued.clientSecret, token };
}

export async function tenure(t: TestDatabase, number: string, startedAt: string, endedAt: string | null, source: TenureSource = "carrier_record") {
  await t.db.insert(numberTenures).values({ number, startedAt: new Date(startedAt), endedAt: endedAt ? new Date(endedAt) : null, source });
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const CHECK_PATH = "/api/camara/number-recycling/v0.2/check";
export const BATCH_PATH = "/api/camara/number-recycling/v0.2/check-batch";
