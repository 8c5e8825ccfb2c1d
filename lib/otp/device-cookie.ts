import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { DEVICE_COOKIE, DEVICE_ID_FORMAT } from "./device-id";

/**
 * A random id for this browser, so the code limits can tell the real owner's phone from an
 * attacker's (lib/otp/service.ts). It says nothing about the person and is never shown; only its
 * HMAC is stored, in the limits table. An attacker can send any id, but cannot guess the owner's.
 */
const NAME = DEVICE_COOKIE;
const FORMAT = DEVICE_ID_FORMAT;

/** This browser's device id, set on first use (a year, renewed on every code request). */
export async function ensureDeviceId(https: boolean): Promise<string> {
  const jar = await cookies();
  const existing = jar.get(NAME)?.value;
  const id = existing && FORMAT.test(existing) ? existing : randomBytes(16).toString("base64url");
  jar.set(NAME, id, { httpOnly: true, sameSite: "lax", secure: https, path: "/", maxAge: 365 * 24 * 3600 });
  return id;
}

/** This browser's device id, if it has one (never sets it). */
export async function currentDeviceId(): Promise<string | undefined> {
  const value = (await cookies()).get(NAME)?.value;
  return value && FORMAT.test(value) ? value : undefined;
}
