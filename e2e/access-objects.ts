/**
 * For e2e/access-matrix.spec.ts: how to request each dynamic page or route of docs/access.md with
 * a concrete id. The matrix has two sides, A and B: owner A's objects (their number is China
 * Mobile's, carrier X) and owner B's (China Unicom's, carrier Y). Owner A, agent X and supervisor X
 * stand on side A, owner B and agent Y on side B; each visitor's "own" id is their side's, the
 * "foreign" one the other side's, and every path is tried with unknown ids as well.
 *
 * A new dynamic route is one entry here: its path with the ids put in, from the objects below
 * (add a field to SideObjects, and where the spec collects it, if the route names a new kind).
 */

export interface SideObjects {
  /** The owner's report (with one screenshot), batch and look-up, from their data export. */
  report?: string;
  evidence?: string;
  batch?: string;
  lookup?: string;
  /** The owner's number's current tenure, as their carrier's agent finds it by number search. */
  tenure?: string;
  /** The owner's own case (a request for help), which their carrier's staff work at /agent/cases/[id]. */
  case?: string;
  /** An erasure receipt: none is made in this run, so only unknown ids are tried. */
  erasure?: string;
}

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

/** Ids that exist nowhere: each dynamic path must answer them as it answers another's. */
export const UNKNOWN_OBJECTS: Required<SideObjects> = { report: UNKNOWN, evidence: UNKNOWN, batch: UNKNOWN, lookup: UNKNOWN, tenure: UNKNOWN, case: UNKNOWN, erasure: UNKNOWN };

/**
 * Dynamic path → the URL for one side's objects, or null when that side has no such object. A
 * string is a fixed URL (a catch-all with no object in it).
 */
export const OBJECT_URLS: Record<string, string | ((o: SideObjects) => string | null)> = {
  "/erased/[id]": (o) => (o.erasure ? `/erased/${o.erasure}` : null),
  "/reports/[id]": (o) => (o.report ? `/reports/${o.report}` : null),
  "/reports/[id]/record": (o) => (o.report ? `/reports/${o.report}/record` : null),
  "/unbind/[id]": (o) => (o.batch ? `/unbind/${o.batch}` : null),
  "/unbind/[id]/record": (o) => (o.batch ? `/unbind/${o.batch}/record` : null),
  "/agent/numbers/[id]": (o) => (o.tenure ? `/agent/numbers/${o.tenure}` : null),
  "/agent/cases/[id]": (o) => (o.case ? `/agent/cases/${o.case}` : null),
  "/me/cases/[id]": (o) => (o.case ? `/me/cases/${o.case}` : null),
  "/api/auth/[...nextauth]": "/api/auth/session",
  "/api/lookups/[id]": (o) => (o.lookup ? `/api/lookups/${o.lookup}` : null),
  "/api/reports/[id]/evidence/[evidenceId]": (o) => (o.report && o.evidence ? `/api/reports/${o.report}/evidence/${o.evidence}` : null),
};
