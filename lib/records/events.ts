import type { TenureSource } from "@/db/enums";
import type { CarrierEvent } from "./csv";
import { CLOSES, OPENS } from "./validate";

/**
 * What carrier events do to a number's tenures, worked out in memory so the import can write a
 * whole file in a few multi-row statements (lib/records/import.ts). Pure: it takes what the
 * database holds for the number and the file's events for it, and returns what to write.
 *
 * - `activated` / `reissued` / `ported_in` at D: the open tenure ends at D, and a `carrier_record`
 *   tenure starts at D.
 * - `cancelled` / `ported_out` at D: the open tenure ends at D.
 * - `sim_changed` at D: the open tenure's `sim_changed_at` is D.
 * - An open SELF-DECLARED tenure is the owner's word while nothing was on record. The first start
 *   event the carrier sends for the number is the record of that holding: the tenure keeps its id
 *   (the owner's unbind requests and reports stay with it) and becomes `carrier_record` with the
 *   carrier's date. When that date is another day than the owner's, the owner's date was wrong or
 *   someone else held the number then: a `tenure_review` case for customer service (`review`). An
 *   end event or SIM change dated before the owner's start is from before their holding and
 *   leaves it alone.
 *
 * Order: a number's events apply in date order, and history is never rewritten. An event dated at
 * or before the latest fact on record for the number (its latest event, or the latest start or end
 * of a carrier-recorded or agent-confirmed tenure) is refused with a reason: re-deriving the past
 * would move the ends of tenures that unbind requests, reports and cases already hang on.
 */

export interface OpenTenure {
  id: string;
  startedAt: Date;
  source: TenureSource;
  carrierId: string | null;
  simChangedAt: Date | null;
}

export interface NumberState {
  open: OpenTenure | null;
  /** The latest moment on record for the number that a new event must come after; null: none. */
  floor: Date | null;
}

export interface TenureRow {
  carrierId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  simChangedAt: Date | null;
  source: TenureSource;
}

export interface NumberPlan {
  accepted: CarrierEvent[];
  refused: { event: CarrierEvent; reason: string }[];
  /** The open tenure as it must be now, when the events changed it. */
  update: (TenureRow & { id: string }) | null;
  /** New carrier-record tenures, oldest first (at most the last one open). */
  inserts: TenureRow[];
  /** The owner's self-declared start that the carrier's record contradicts. */
  review: { tenureId: string; declared: Date; recorded: Date; carrierId: string | null } | null;
  opened: number;
  closed: number;
  simChanged: number;
}

const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** `events`: one number's events from the file, in date order (validate.ts sorted them). */
export function planNumber(state: NumberState, events: readonly CarrierEvent[], carrierIds: ReadonlyMap<string, string>): NumberPlan {
  const plan: NumberPlan = { accepted: [], refused: [], update: null, inserts: [], review: null, opened: 0, closed: 0, simChanged: 0 };
  // The tenure being written to: the existing open one (copied) or the last inserted.
  let current: (TenureRow & { id?: string }) | null = state.open ? { ...state.open, endedAt: null } : null;
  let floor = state.floor;
  let selfDeclared = state.open?.source === "self_declared";
  const touchExisting = () => {
    if (current?.id) plan.update = current as TenureRow & { id: string };
  };

  for (const e of events) {
    if (floor && e.at.getTime() <= floor.getTime()) {
      plan.refused.push({ event: e, reason: `dated at or before the latest carrier record for this number (${floor.toISOString()}): events apply in date order, and an earlier one cannot be added after later ones` });
      continue;
    }
    plan.accepted.push(e);
    floor = e.at;
    const carrierId = carrierIds.get(e.carrier) ?? null;
    // Before the owner's declared start: not their holding's business (see above).
    const beforeDeclared = selfDeclared && current !== null && e.at.getTime() <= current.startedAt.getTime();

    if (OPENS.has(e.type)) {
      if (selfDeclared && current?.id) {
        if (chinaDay(current.startedAt) !== chinaDay(e.at)) plan.review = { tenureId: current.id, declared: current.startedAt, recorded: e.at, carrierId };
        current.startedAt = e.at;
        current.source = "carrier_record";
        current.carrierId = carrierId;
        if (current.simChangedAt && current.simChangedAt.getTime() <= e.at.getTime()) current.simChangedAt = null;
        selfDeclared = false;
        touchExisting();
        plan.opened++;
        continue;
      }
      if (current) {
        current.endedAt = e.at;
        touchExisting();
        plan.closed++;
      }
      current = { carrierId, startedAt: e.at, endedAt: null, simChangedAt: null, source: "carrier_record" };
      plan.inserts.push(current);
      plan.opened++;
    } else if (CLOSES.has(e.type)) {
      if (!current || beforeDeclared) continue;
      current.endedAt = e.at;
      touchExisting();
      current = null;
      selfDeclared = false;
      plan.closed++;
    } else if (current && !beforeDeclared) {
      current.simChangedAt = e.at;
      touchExisting();
      plan.simChanged++;
    }
  }
  return plan;
}
