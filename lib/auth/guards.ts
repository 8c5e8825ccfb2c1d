import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { prepareDatabase } from "@/db/startup";
import { env } from "@/lib/env";
import { jsonError } from "@/lib/http/json";
import { isCrossOrigin } from "@/lib/security/csp";
import { openTenure } from "@/lib/tenure";
import { loginPathFor, REQUEST_PATH_HEADER } from "./return-to";
import { homeFor, STAFF_AREAS, type Role, type StaffArea, type StaffRole } from "./roles";
import { staffSessionValid } from "./staff";

/**
 * Every access check in one module; docs/access.md is the table of what each role gets where. A guard is a value (`owner`, `ownerWithTenure`,
 * `staff("agent")`) that resolves the signed-in principal or says why not; it is applied in one of
 * three ways: `forPage` (pages, layouts and server actions: a redirect), `forRoute` (route handlers:
 * 401/403/404 JSON, and the Origin check for state-changing requests), or through `action()` in
 * lib/actions.ts, which every server action is built with.
 */

/** A signed-in owner: the number they proved they hold by SMS (E.164), never missing. */
export interface OwnerSession {
  kind: "owner";
  id: string;
  number: string;
  otpVerifiedAt: string | null;
}

/** A signed-in staff member whose account is enabled and whose role and carrier still match. */
export interface StaffSession {
  kind: "staff";
  id: string;
  name: string;
  role: StaffRole;
  carrierId: string | null;
}

export type Tenure = NonNullable<Awaited<ReturnType<typeof openTenure>>>;

/** The owner with their number's open tenure: null when none is on record (nothing to show or change). */
export interface OwnerWithTenure extends OwnerSession {
  tenure: Tenure | null;
}

/** Why a guard refused: nobody (of that kind) is signed in, or someone is whom this is not for. */
export type Denial = { reason: "signed_out"; area: "owner" | "staff" } | { reason: "forbidden"; role: Role };

export type Verdict<P> = { ok: true; principal: P } | { ok: false; denial: Denial };

/**
 * A guard judges the session it is handed: the applier (forPage, forRoute) reads the session once
 * per request and passes it, so `either(a, b)` and a guard built on another never read it twice
 * (React's cache does not span a route handler).
 */
export interface Guard<P> {
  readonly name: string;
  resolve(session: Principal | null): Promise<Verdict<P>>;
}

export type Principal = OwnerSession | StaffSession;

/** The session as the server sees it this request (one auth() and one staff-account check). */
export const currentSession = cache(async (): Promise<Principal | null> => {
  const user = (await auth())?.user;
  if (!user?.role) return null;
  if (user.role === "owner") {
    if (!user.number) return null;
    return { kind: "owner", id: user.id, number: user.number, otpVerifiedAt: user.otpVerifiedAt ?? null };
  }
  // A disabled account, or one whose role or carrier changed, loses access now, not when the session ends.
  const { handle } = await prepareDatabase();
  const session = { id: user.id, role: user.role, carrierId: user.carrierId ?? null };
  if (!(await staffSessionValid(handle.db, session))) return null;
  return { kind: "staff", name: user.name, ...session };
});

/** No check: the page or action is for everyone (sign-in, the language switcher). */
export const anyone: Guard<null> = { name: "anyone", resolve: async () => ({ ok: true, principal: null }) };

export const owner: Guard<OwnerSession> = {
  name: "owner",
  async resolve(session) {
    if (session?.kind === "owner") return { ok: true, principal: session };
    return session ? { ok: false, denial: { reason: "forbidden", role: session.role } } : { ok: false, denial: { reason: "signed_out", area: "owner" } };
  },
};

export const ownerWithTenure: Guard<OwnerWithTenure> = {
  name: "ownerWithTenure",
  async resolve(session) {
    const verdict = await owner.resolve(session);
    if (!verdict.ok) return verdict;
    const { handle } = await prepareDatabase();
    return { ok: true, principal: { ...verdict.principal, tenure: await openTenure(handle.db, verdict.principal.number) } };
  },
};

export function staff(...roles: StaffRole[]): Guard<StaffSession> {
  return {
    name: `staff(${roles.join(",")})`,
    async resolve(session) {
      if (session?.kind === "staff" && roles.includes(session.role)) return { ok: true, principal: session };
      if (session?.kind === "staff") return { ok: false, denial: { reason: "forbidden", role: session.role } };
      if (session) return { ok: false, denial: { reason: "forbidden", role: "owner" } };
      return { ok: false, denial: { reason: "signed_out", area: "staff" } };
    },
  };
}

/** The first guard that lets the session in; else the first one's refusal. */
export function either<A, B>(a: Guard<A>, b: Guard<B>): Guard<A | B> {
  return {
    name: `${a.name}|${b.name}`,
    async resolve(session) {
      const first = await a.resolve(session);
      if (first.ok) return first;
      const second = await b.resolve(session);
      return second.ok ? second : first;
    },
  };
}

/** Anyone signed in, owner or staff (sign-out). */
export const signedIn: Guard<Principal> = {
  name: "signedIn",
  async resolve(session) {
    return session ? { ok: true, principal: session } : { ok: false, denial: { reason: "signed_out", area: "owner" } };
  },
};

/**
 * Where a refused page or action sends the visitor. A signed-out owner's sign-in carries the page
 * they asked for (the proxy stamps it on the request; lib/auth/return-to.ts checks it is ours), so
 * the code step brings them back there rather than to /me.
 */
async function denialRedirect(denial: Denial): Promise<string> {
  if (denial.reason === "signed_out") return denial.area === "staff" ? "/staff/login" : loginPathFor((await headers()).get(REQUEST_PATH_HEADER));
  // Staff of another role go to their own home, never to a page they may not see.
  return denial.role === "owner" ? "/staff/login" : homeFor(denial.role);
}

/** For pages, layouts and server actions: the principal, or a redirect. */
export async function forPage<P>(guard: Guard<P>): Promise<P> {
  const verdict = await guard.resolve(await currentSession());
  if (!verdict.ok) redirect(await denialRedirect(verdict.denial));
  return verdict.principal;
}

/**
 * For route handlers: the principal, or the JSON answer to send instead (401 signed out, 403
 * another role, or 404 with `hide` where even "this exists" is not to be said). State-changing
 * requests must come from our own pages (the Origin check server actions get in the proxy).
 */
export async function forRoute<P>(
  guard: Guard<P>,
  request: Request,
  { changesState, hide = false }: { changesState: boolean; hide?: boolean },
): Promise<{ principal: P; response?: undefined } | { response: Response }> {
  if (changesState && isCrossOrigin(request.headers, new URL(request.url).host, env().AUTH_URL ? [env().AUTH_URL!] : [])) {
    return { response: jsonError(403, "cross_origin") };
  }
  const verdict = await guard.resolve(await currentSession());
  if (verdict.ok) return { principal: verdict.principal };
  if (verdict.denial.reason === "signed_out") return { response: jsonError(401, "signed_out") };
  return { response: hide ? jsonError(404, "not_found") : jsonError(403, "forbidden") };
}

/** Owner pages: signed-out visitors go to the SMS sign-in. */
export const requireOwner = () => forPage(owner);

/** Staff pages: signed-out visitors go to the staff sign-in, staff of another role to their own home. */
export const requireStaff = (...roles: StaffRole[]) => forPage(staff(...roles));

/** The guard of a staff area: the roles the one policy (lib/auth/roles.ts) admits to it. */
export const areaGuard = (area: StaffArea) => staff(...STAFF_AREAS[area].roles);

/**
 * A staff area's layout and pages. Signed-out visitors go to the staff sign-in; owners and staff of
 * another role get the "not for your account" page with a 403 (app/forbidden.tsx), which says who
 * is signed in and links to their own area, rather than a redirect that leaves them wondering.
 */
/**
 * Whether the visitor may see `area`'s pages, without refusing: for their metadata, which Next
 * resolves apart from the page (a refused visitor's tab should read "not for your account", not
 * the console's title). Signed-out visitors count as admitted: they are sent to sign in anyway.
 */
export async function admittedTo(area: StaffArea): Promise<boolean> {
  const verdict = await areaGuard(area).resolve(await currentSession());
  return verdict.ok || verdict.denial.reason === "signed_out";
}

export async function requireArea(area: StaffArea): Promise<StaffSession> {
  const verdict = await areaGuard(area).resolve(await currentSession());
  if (verdict.ok) return verdict.principal;
  if (verdict.denial.reason === "signed_out") redirect("/staff/login");
  forbidden();
}
