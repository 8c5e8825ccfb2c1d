/**
 * CAMARA Commonalities error bodies `{status, code, message}` and the `x-correlator` header, the
 * only answer shapes of the CAMARA routes (never the house `{error}` of lib/http/route.ts).
 */
export type CamaraCode =
  | "INVALID_ARGUMENT"
  | "OUT_OF_RANGE"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "IDENTIFIER_NOT_FOUND"
  | "SERVICE_NOT_APPLICABLE"
  | "MISSING_IDENTIFIER"
  | "UNNECESSARY_IDENTIFIER"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL"
  | "UNAVAILABLE";

export interface CamaraErrorInfo {
  status: number;
  code: CamaraCode;
  message: string;
}

export const camaraError = (status: number, code: CamaraCode, message: string): CamaraErrorInfo => ({ status, code, message });

/** Commonalities' XCorrelator schema. */
export const X_CORRELATOR = /^[a-zA-Z0-9-_:;./<>{}]{0,256}$/;

export function camaraJson(body: unknown, { status = 200, correlator, headers = {} }: { status?: number; correlator?: string | null; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, {
    status,
    headers: { "cache-control": "no-store", ...(correlator ? { "x-correlator": correlator } : {}), ...headers },
  });
}

export const camaraErrorResponse = (error: CamaraErrorInfo, correlator?: string | null, headers?: Record<string, string>) =>
  camaraJson(error, { status: error.status, correlator, headers });
