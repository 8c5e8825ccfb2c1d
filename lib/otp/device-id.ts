/** The name and format of the browser's device id cookie (lib/otp/device-cookie.ts sets it). */
export const DEVICE_COOKIE = "reclaim_device";
export const DEVICE_ID_FORMAT = /^[A-Za-z0-9_-]{22}$/;

/** The device id from a raw Cookie header, or undefined when there is none or it is malformed. */
export function deviceFromCookieHeader(header: string | null | undefined): string | undefined {
  const match = header?.match(/(?:^|;\s*)reclaim_device=([^;]*)/);
  return match && DEVICE_ID_FORMAT.test(match[1]!) ? match[1] : undefined;
}
