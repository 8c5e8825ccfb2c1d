import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { checkHandler } from "./route";
import { CHECK_PATH, platformApiFixture, post, tenure } from "./testing";
import { ACCESS_TOKEN_TTL_SECONDS } from "./token";

/**
 * Every scenario of CAMARA's own feature file for the API (camaraproject/NumberRecycling,
 * code/Test_definitions/number-recycling.feature, v0.2.0), one test each, named after its tag.
 * The Background's "valid access token" is a client-credentials token of ours and its x-correlator
 * follows the XCorrelator schema; phone numbers come in the body (our tokens name no device).
 */
let t: TestDatabase;
let f: Awaited<ReturnType<typeof platformApiFixture>>;
let check: (request: Request) => Promise<Response>;

// User A since 2023-10-09, still using the number (CAMARA scenario 1).
const STILL_A = "+8613800138001";
// User A from 2023-10-09 until cancelling on 2024-02-25; User B since 2024-09-21 (scenario 2).
const NOW_B = "+8613800138002";
const CORRELATOR = "b4333c46-49c0-4f62-80d7-f0ef930f1c46";

beforeAll(async () => {
  t = await createTestDatabase();
  f = await platformApiFixture(t);
  check = checkHandler(f.deps);
  await tenure(t, STILL_A, "2023-10-09T10:00:00+08:00", null);
  await tenure(t, NOW_B, "2023-10-09T10:00:00+08:00", "2024-02-25T12:00:00+08:00");
  await tenure(t, NOW_B, "2024-09-21T09:00:00+08:00", null);
});
afterAll(() => t.dispose());

async function send(body: unknown, { token, correlator = CORRELATOR }: { token?: string; correlator?: string } = {}) {
  const response = await check(post(CHECK_PATH, body, { authorization: `Bearer ${token ?? (await f.token())}`, "x-correlator": correlator }));
  return { response, body: (await response.json()) as Record<string, unknown> };
}

function expectCamaraError(body: Record<string, unknown>, status: number, code: string) {
  expect(body).toEqual({ status, code, message: expect.any(String) });
  expect((body.message as string).length).toBeGreaterThan(10);
}

describe("CAMARA number-recycling.feature", () => {
  it("@Number_Recycling_01_success_request_response_when_phoneNumberRecycled_is_false", async () => {
    // The date on which the user signed with the ASP, and the contract day itself (CAMARA's note).
    for (const specifiedDate of ["2023-12-22", "2023-10-09"]) {
      const { response, body } = await send({ phoneNumber: STILL_A, specifiedDate });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-correlator")).toBe(CORRELATOR);
      expect(body).toEqual({ phoneNumberRecycled: false });
    }
  });

  it("@Number_Recycling_02_success_request_response_when_phoneNumberRecycled_is_true", async () => {
    const { response, body } = await send({ phoneNumber: NOW_B, specifiedDate: "2023-12-22" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-correlator")).toBe(CORRELATOR);
    expect(body).toEqual({ phoneNumberRecycled: true });
  });

  it("@Number_Recycling_400.01_invalid_specifiedDate", async () => {
    for (const invalid of ["2024/10/31", "31-10-2024", "2024-13-01", "2024-02-30", "20241031", "2024-10-31T00:00:00Z", "", 20241031, null]) {
      const { response, body } = await send({ phoneNumber: STILL_A, specifiedDate: invalid });
      expect(response.status, String(invalid)).toBe(400);
      expectCamaraError(body, 400, "INVALID_ARGUMENT");
    }
  });

  it("@Number_Recycling_400.02_phone_number_not_schema_compliant", async () => {
    for (const phoneNumber of ["8613800138001", "+08613800138001", "+86 138 0013 8001", "+123", "+8613800138001234567", 8613800138001]) {
      const { response, body } = await send({ phoneNumber, specifiedDate: "2024-01-01" });
      expect(response.status, String(phoneNumber)).toBe(400);
      expectCamaraError(body, 400, "INVALID_ARGUMENT");
    }
  });

  it("@Number_Recycling_401.01_expired_access_token", async () => {
    const token = await f.token();
    f.clock.advance((ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);
    try {
      const { response, body } = await send({ phoneNumber: STILL_A, specifiedDate: "2024-01-01" }, { token });
      expect(response.status).toBe(401);
      expectCamaraError(body, 401, "UNAUTHENTICATED");
      expect(response.headers.get("x-correlator")).toBe(CORRELATOR);
    } finally {
      f.clock.set(new Date("2026-11-28T08:00:00Z"));
    }
  });

  it("@Number_Recycling_422.01_service_not_applicable", async () => {
    // Schema-valid numbers carrier records cannot cover: a US number, a Chinese landline.
    for (const phoneNumber of ["+12025550123", "+861065529988"]) {
      const { response, body } = await send({ phoneNumber, specifiedDate: "2024-01-01" });
      expect(response.status, phoneNumber).toBe(422);
      expectCamaraError(body, 422, "SERVICE_NOT_APPLICABLE");
    }
  });

  it("@Number_Recycling_422.02_missing_identifier", async () => {
    // A client-credentials token: the phone number cannot be deduced from it.
    const { response, body } = await send({ specifiedDate: "2024-01-01" });
    expect(response.status).toBe(422);
    expectCamaraError(body, 422, "MISSING_IDENTIFIER");
  });
});
