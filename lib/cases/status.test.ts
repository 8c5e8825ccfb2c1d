import { describe, expect, it } from "vitest";
import { CASE_STATUSES } from "@/db/enums";
import { parseEnv } from "@/lib/env";
import { CASE_TRANSITIONS, canTransition, deadlinesFor, overdue, span, timeLeft } from "./status";

describe("case status machine and deadlines (lib/cases/status.ts)", () => {
  it("allows the documented moves and refuses the rest", () => {
    expect(canTransition("open", "in_progress")).toBe(true);
    expect(canTransition("in_progress", "waiting_owner")).toBe(true);
    expect(canTransition("waiting_platform", "resolved")).toBe(true);
    expect(canTransition("resolved", "in_progress")).toBe(true);
    expect(canTransition("closed", "in_progress")).toBe(true);
    // Nothing goes back to open; a settled case only reopens; no move to itself.
    for (const from of CASE_STATUSES) expect(canTransition(from, "open")).toBe(false);
    for (const from of CASE_STATUSES) expect(canTransition(from, from)).toBe(false);
    expect(CASE_TRANSITIONS.resolved).toEqual(["in_progress"]);
    expect(canTransition("closed", "resolved")).toBe(false);
  });

  it("sets deadlines from the settings and says which applies, how long is left or how late it is", () => {
    const at = new Date("2026-12-01T00:00:00Z");
    const due = deadlinesFor(at, { firstResponseHours: 48, resolutionDays: 15 });
    expect(due.firstResponseDueAt.toISOString()).toBe("2026-12-03T00:00:00.000Z");
    expect(due.resolutionDueAt.toISOString()).toBe("2026-12-16T00:00:00.000Z");
    const c = { status: "open" as const, ...due, firstRespondedAt: null };
    expect(timeLeft(c, new Date("2026-12-01T19:30:00Z"))).toMatchObject({ deadline: "first_response", overdue: false, span: { unit: "hours", value: 28 } });
    expect(overdue(c, new Date("2026-12-01T19:30:00Z"))).toBeNull();
    expect(overdue(c, new Date("2026-12-03T00:05:00Z"))).toMatchObject({ deadline: "first_response", overdue: true, span: { unit: "minutes", value: 5 } });
    const answered = { ...c, status: "in_progress" as const, firstRespondedAt: new Date("2026-12-02T00:00:00Z") };
    expect(timeLeft(answered, new Date("2026-12-03T00:05:00Z"))).toMatchObject({ deadline: "resolution", overdue: false, span: { unit: "days", value: 12 } });
    expect(overdue(answered, new Date("2026-12-19T00:00:00Z"))).toMatchObject({ deadline: "resolution", span: { unit: "days", value: 3 } });
    // A settled case has no running deadline.
    expect(timeLeft({ ...answered, status: "resolved" }, new Date("2026-12-30T00:00:00Z"))).toBeNull();
    expect(span(0)).toEqual({ unit: "minutes", value: 1 });
    expect(span(36 * 3600_000)).toEqual({ unit: "hours", value: 36 });
  });

  it("reads the deadlines from CASE_FIRST_RESPONSE_HOURS and CASE_RESOLUTION_DAYS, 48 hours and 15 days by default", () => {
    expect(parseEnv({}).cases).toEqual({ firstResponseHours: 48, resolutionDays: 15 });
    expect(parseEnv({ CASE_FIRST_RESPONSE_HOURS: "24", CASE_RESOLUTION_DAYS: "7" }).cases).toEqual({ firstResponseHours: 24, resolutionDays: 7 });
    expect(() => parseEnv({ CASE_RESOLUTION_DAYS: "0" })).toThrow(/CASE_RESOLUTION_DAYS/);
  });
});
