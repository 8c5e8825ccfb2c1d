import { describe, expect, it } from "vitest";
import { reverifyCodeRefusal, sendRefusal, signInCodeRefusal } from "./refusal";

describe("OTP refusals as AppErrors", () => {
  it("a refused code request names its reason and when to try again", () => {
    expect(sendRefusal({ ok: false, error: "rate_limited", retryAfterSeconds: 40 }, "number")).toMatchObject({ code: "rate_limited:otp", status: 429, details: { retryAfterSeconds: 40 }, field: "number" });
    expect(sendRefusal({ ok: false, error: "number_locked", retryAfterSeconds: 3600 })).toMatchObject({ code: "locked:number", details: { retryAfterSeconds: 3600 } });
    expect(sendRefusal({ ok: false, error: "number_busy", retryAfterSeconds: 30 }).code).toBe("busy:number");
    expect(sendRefusal({ ok: false, error: "locked", retryAfterSeconds: 900 }).code).toBe("locked:otp_source");
    expect(sendRefusal({ ok: false, error: "sms_failed", retryAfterSeconds: 60 })).toMatchObject({ code: "unavailable:sms", status: 503, details: {} });
  });

  it("a code refused at sign-in travels as a code with its details, not a string like wrong_code:3", () => {
    expect(signInCodeRefusal({ ok: false, error: "wrong_code", triesLeft: 3 }, "code")).toMatchObject({ code: "wrong_code:otp", details: { triesLeft: 3 }, field: "code" });
    expect(signInCodeRefusal({ ok: false, error: "locked", retryAfterSeconds: 600 })).toMatchObject({ code: "locked:otp_verify", status: 429, details: { retryAfterSeconds: 600 } });
    expect(signInCodeRefusal({ ok: false, error: "number_locked", retryAfterSeconds: 600 }).code).toBe("locked:number");
    expect(signInCodeRefusal({ ok: false, error: "expired" }).code).toBe("expired:otp");
    expect(signInCodeRefusal({ ok: false, error: "too_many_attempts" }).code).toBe("too_many_attempts:otp");
    for (const error of ["used", "superseded", "invalid"] as const) expect(signInCodeRefusal({ ok: false, error }).code).toBe("stale:otp");
  });

  it("a code refused before unbinding says how many tries are left on it", () => {
    expect(reverifyCodeRefusal({ ok: false, error: "wrong_code", triesLeft: 4 }, "code")).toMatchObject({ code: "wrong_code:reverify", status: 400, details: { triesLeft: 4 }, field: "code" });
    expect(reverifyCodeRefusal({ ok: false, error: "too_many_attempts" }, "code")).toMatchObject({ code: "too_many_attempts:reverify", status: 429, field: "code" });
    expect(reverifyCodeRefusal({ ok: false, error: "locked", retryAfterSeconds: 600 })).toMatchObject({ code: "locked:reverify", details: { retryAfterSeconds: 600 } });
    expect(reverifyCodeRefusal({ ok: false, error: "number_locked", retryAfterSeconds: 60 }).code).toBe("locked:reverify");
    for (const error of ["expired", "used", "superseded", "invalid"] as const) expect(reverifyCodeRefusal({ ok: false, error }).code).toBe("expired:reverify");
  });
});
