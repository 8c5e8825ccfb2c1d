import type { NumberEventType } from "@/db/enums";
import type { CarrierEvent, RowProblem } from "./csv";

/** Events that start a subscriber's tenure, and those that end it. */
export const OPENS: ReadonlySet<NumberEventType> = new Set(["activated", "reissued", "ported_in"]);
export const CLOSES: ReadonlySet<NumberEventType> = new Set(["cancelled", "ported_out"]);

const day = (at: Date) => at.toISOString().slice(0, 19).replace("T", " ") + " UTC";

/**
 * The checks that need the whole file: an event id used twice, and one number's events against
 * each other, in date order — two at the same moment (their order is unknown), a cancellation or
 * port-out with no subscriber left to end, a SIM change with nobody to change it for, and an
 * activation or re-issue while the number still has a subscriber in the file (a cancellation comes
 * first; a port-in may take a held number, the subscriber moves with it). A row that fails is left
 * out of what follows, so one bad row does not condemn the rows after it. Returns the good events
 * in date order per number and the problems.
 */
export function checkFile(events: readonly CarrierEvent[]): { events: CarrierEvent[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const firstRow = new Map<string, number>();
  const unique: CarrierEvent[] = [];
  for (const e of events) {
    const first = firstRow.get(e.eventId);
    if (first !== undefined) problems.push({ row: e.row, column: "event_id", reason: `the same event as row ${first} (same event id${e.eventId.startsWith("sha256:") ? ", or the same number, carrier, event and date" : ""})` });
    else {
      firstRow.set(e.eventId, e.row);
      unique.push(e);
    }
  }

  const byNumber = new Map<string, CarrierEvent[]>();
  for (const e of unique) {
    const list = byNumber.get(e.number);
    if (list) list.push(e);
    else byNumber.set(e.number, [e]);
  }
  const good: CarrierEvent[] = [];
  for (const list of byNumber.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.row - b.row);
    // What the file has said so far: null before its first event for the number.
    let last: CarrierEvent | null = null;
    for (const e of list) {
      const reason = contradiction(last, e);
      if (reason) problems.push({ row: e.row, column: reason.column, reason: reason.text });
      else {
        good.push(e);
        last = e;
      }
    }
  }
  problems.sort((a, b) => a.row - b.row);
  return { events: good, problems };
}

function contradiction(last: CarrierEvent | null, e: CarrierEvent): { column: "date" | "event"; text: string } | null {
  if (!last) return null;
  if (last.at.getTime() === e.at.getTime()) return { column: "date", text: `the same moment as row ${last.row}'s event for this number, so their order is unknown: give full timestamps` };
  const held = !CLOSES.has(last.type);
  if (CLOSES.has(e.type) && !held) return { column: "event", text: `the number has no subscriber to end: row ${last.row} already ended it (${last.type}, ${day(last.at)})` };
  if (e.type === "sim_changed" && !held) return { column: "event", text: `a SIM change while the number has no subscriber (row ${last.row}: ${last.type}, ${day(last.at)})` };
  if ((e.type === "activated" || e.type === "reissued") && held)
    return { column: "event", text: `${e.type} while the number still has a subscriber (row ${last.row}: ${last.type}, ${day(last.at)}); a cancellation comes first` };
  return null;
}
