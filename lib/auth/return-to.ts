/**
 * Where sign-in brings an owner back to: the page they asked for before signing in. The value
 * travels through the address bar and a hidden field, so it is never trusted: only a path on this
 * site passes, anything that a browser could read as another site (`//evil`, `/\evil`, `https://…`,
 * the same escaped or with a tab or newline, which URL parsers drop) is refused and the owner lands
 * on their number page instead. Framework-free, so it runs in the proxy, pages and actions alike.
 */

export const OWNER_HOME = "/me";

/**
 * The path and query of the page being requested, set by the proxy on every page request (over
 * anything the client sent under that name): a server component cannot otherwise know its URL.
 */
export const REQUEST_PATH_HEADER = "x-reclaim-path";

/** Longer than any page of ours takes, short enough that a query string cannot carry a payload. */
const MAX_LENGTH = 512;

/** Sign-in and sign-out pages and API routes are never a destination (a loop, or JSON instead of a page). */
const NOT_A_DESTINATION = /^\/(?:login|sign-out|staff|api|_next)(?:[/?#]|$)/i;

/** The validated path, or null when `raw` is not a same-origin path we would send anyone to. */
export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  // Printable ASCII only (paths and queries arrive percent-encoded), and no backslash: browsers
  // read `\` as `/` and drop tabs and newlines, so both could turn a path into another host.
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.includes("\\")) return null;
  if (!raw.startsWith("/") || raw.startsWith("//")) return null;
  // The same checks once decoded (`/%2F%2Fevil`, `/%5Cevil`, `/%09/evil`), in case anything
  // between here and the browser decodes it; a malformed escape is refused outright.
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (/[\x00-\x1f\x7f\\]/.test(decoded) || decoded.startsWith("//")) return null;
  // What a browser would make of it, relative to this site: still this site, the same path.
  const base = "https://reclaim.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  const path = url.pathname + url.search;
  if (NOT_A_DESTINATION.test(path) || NOT_A_DESTINATION.test(decoded)) return null;
  return path;
}

/** The validated path, else the owner's number page. */
export function returnPathOr(raw: unknown, fallback: string = OWNER_HOME): string {
  return safeReturnPath(raw) ?? fallback;
}

/** `/login` with the page to come back to, when there is one worth carrying (not the default). */
export function loginPathFor(raw: unknown, page = "/login"): string {
  const next = safeReturnPath(raw);
  return next && next !== OWNER_HOME ? `${page}?next=${encodeURIComponent(next)}` : page;
}
