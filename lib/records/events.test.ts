import { describe, expect, it } from "vitest";
import type { TenureSource } from "@/db/enums";
import type { CarrierEvent } from "./csv";
import { planNumber, type NumberState } from "./events";

const carriers = new Map([
  ["cmcc", "id-cmcc"],
  ["cucc", "id-cucc"],
]);
let row = 1;
const ev = (type: CarrierEvent["type"], at: string, carrier = "cmcc"): CarrierEvent => ({ row: ++row, eventId: `e${row}`, number: "+8613900139000", carrier, type, at: new Date(at) });
const held = (source: TenureSource, startedAt: string): NumberState => ({
  open: { id: "t1", startedAt: new Date(startedAt), source, carrierId: "id-cmcc", simChangedAt: null },
  floor: source === "self_declared" ? null : new Date(startedAt),
});

describe("what carrier events do to one number's tenures", () => {
  it("a port-in ends the open tenure and starts one with the new carrier", () => {
    const plan = planNumber(held("carrier_record", "2024-01-01T00:00:00Z"), [ev("ported_in", "2025-01-01T00:00:00Z", "cucc")], carriers);
    expect(plan.update).toMatchObject({ id: "t1", endedAt: new Date("2025-01-01T00:00:00Z") });
    expect(plan.inserts).toEqual([{ carrierId: "id-cucc", startedAt: new Date("2025-01-01T00:00:00Z"), endedAt: null, simChangedAt: null, source: "carrier_record" }]);
    expect(plan).toMatchObject({ opened: 1, closed: 1, review: null });
  });

  it("an agent-confirmed start is a floor: an event at or before it is refused, one after it ends it", () => {
    const state = held("agent_confirmed", "2024-06-01T00:00:00Z");
    const plan = planNumber(state, [ev("cancelled", "2024-06-01T00:00:00Z"), ev("cancelled", "2024-07-01T00:00:00Z")], carriers);
    expect(plan.refused).toHaveLength(1);
    expect(plan.accepted).toHaveLength(1);
    expect(plan.update).toMatchObject({ source: "agent_confirmed", endedAt: new Date("2024-07-01T00:00:00Z") });
  });

  it("a self-declared tenure takes the carrier's start; a later SIM change before it is dropped", () => {
    const state: NumberState = { open: { id: "t1", startedAt: new Date("2025-03-01T00:00:00Z"), source: "self_declared", carrierId: null, simChangedAt: null }, floor: null };
    const plan = planNumber(state, [ev("sim_changed", "2025-02-01T00:00:00Z"), ev("activated", "2025-02-20T00:00:00Z")], carriers);
    expect(plan.simChanged).toBe(0);
    expect(plan.update).toMatchObject({ id: "t1", source: "carrier_record", carrierId: "id-cmcc", startedAt: new Date("2025-02-20T00:00:00Z"), endedAt: null });
    expect(plan.inserts).toEqual([]);
    expect(plan.review).toMatchObject({ tenureId: "t1", declared: new Date("2025-03-01T00:00:00Z"), recorded: new Date("2025-02-20T00:00:00Z") });
  });

  it("compares the owner's and the carrier's start by day in China time", () => {
    // 2025-03-01 00:30 China time is 2025-02-28 in UTC: still the same day to the owner.
    const state: NumberState = { open: { id: "t1", startedAt: new Date("2025-03-01T00:00:00+08:00"), source: "self_declared", carrierId: null, simChangedAt: null }, floor: null };
    expect(planNumber(state, [ev("activated", "2025-03-01T00:30:00+08:00")], carriers).review).toBeNull();
    expect(planNumber(state, [ev("activated", "2025-02-28T23:30:00+08:00")], carriers).review).not.toBeNull();
  });
});
