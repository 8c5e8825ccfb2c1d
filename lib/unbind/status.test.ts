import { describe, expect, it } from "vitest";
import { outcomeOf, outcomeSummary, waitingStep } from "./status";

describe("outcomes as the owner reads them", () => {
  it("groups everything before an answer as waiting", () => {
    expect(["queued", "sent", "accepted"].map((s) => outcomeOf(s as "queued"))).toEqual(["waiting", "waiting", "waiting"]);
    expect(outcomeOf("rejected")).toBe("rejected");
    expect(outcomeOf("failed")).toBe("failed");
  });

  it("counts the outcomes that occur, in a fixed order", () => {
    expect(outcomeSummary(["accepted", "unbound", "scheduled", "unbound", "queued"])).toEqual([
      { outcome: "unbound", count: 2 },
      { outcome: "scheduled", count: 1 },
      { outcome: "waiting", count: 2 },
    ]);
    expect(outcomeSummary(["failed", "rejected", "needs_owner_action"]).map((o) => o.outcome)).toEqual(["needs_owner_action", "rejected", "failed"]);
    expect(outcomeSummary([])).toEqual([]);
  });

  it("says when carrier customer service takes over a waiting item", () => {
    const deadlines = { retryForMs: 68.6 * 3600_000, silenceMs: 14 * 86_400_000 };
    const accepted = new Date("2026-12-01T00:00:00Z");
    expect(waitingStep({ status: "sent", updatedAt: accepted }, accepted, deadlines)).toEqual({ kind: "delivering", retryDays: 3 });
    expect(waitingStep({ status: "queued", updatedAt: accepted }, accepted, deadlines)).toEqual({ kind: "delivering", retryDays: 3 });
    expect(waitingStep({ status: "accepted", updatedAt: accepted }, new Date("2026-12-10T00:00:00Z"), deadlines)).toEqual({ kind: "awaiting", caseAt: new Date("2026-12-15T00:00:00Z") });
    expect(waitingStep({ status: "accepted", updatedAt: accepted }, new Date("2026-12-15T00:00:01Z"), deadlines)).toEqual({ kind: "overdue" });
    expect(waitingStep({ status: "unbound", updatedAt: accepted }, accepted, deadlines)).toBeNull();
  });
});
