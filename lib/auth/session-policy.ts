/** Sessions end after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export function pastAbsoluteLimit(signedInAt: number | undefined, now: number): boolean {
  return !signedInAt || now - signedInAt > SESSION_ABSOLUTE_MS;
}
