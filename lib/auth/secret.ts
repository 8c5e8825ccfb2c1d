import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

const DEV_SECRET_FILE = path.join(process.cwd(), ".data", "auth-secret");

/**
 * AUTH_SECRET when set (required in production, enforced by lib/env.ts). In development a random
 * secret is made once and kept in .data/, so `npm run dev` needs no setup and sessions survive
 * restarts.
 */
export function authSecret(): string {
  const { AUTH_SECRET, production } = env();
  if (AUTH_SECRET) return AUTH_SECRET;
  if (production) throw new Error("AUTH_SECRET is required in production");
  try {
    return readFileSync(DEV_SECRET_FILE, "utf8").trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    mkdirSync(path.dirname(DEV_SECRET_FILE), { recursive: true });
    writeFileSync(DEV_SECRET_FILE, secret, { mode: 0o600 });
    return secret;
  }
}
