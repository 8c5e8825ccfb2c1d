import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { derivedEventId, readCarrierRecords, readDate } from "./csv";
import { checkFile } from "./validate";

const now = new Date("2026-11-28T10:00:00+08:00");
const read = (text: string) => readCarrierRecords(Readable.from([text]), { carriers: ["cmcc", "cucc", "ctcc"], now });

describe("reading carrier records", () => {
  it("reads national and E.164 numbers, codes in any case, both date forms, and derives ids for rows without one", async () => {
    const { events, problems, rows } = await read(
      "number,carrier,event,date,event_id\n" + "139 0013 9000,CMCC,activated,2025-03-01,e-1\n" + "+8618620001111,cucc,ported_in,2025-03-02T09:30:00Z,\n",
    );
    expect(problems).toEqual([]);
    expect(rows).toBe(2);
    expect(events[0]).toMatchObject({ row: 2, eventId: "e-1", number: "+8613900139000", carrier: "cmcc", type: "activated", at: new Date("2025-03-01T00:00:00+08:00") });
    expect(events[1]).toMatchObject({ row: 3, number: "+8618620001111", carrier: "cucc", at: new Date("2025-03-02T09:30:00Z") });
    expect(events[1]!.eventId).toBe(derivedEventId("+8618620001111", "cucc", "ported_in", new Date("2025-03-02T09:30:00Z")));
    expect(events[1]!.eventId).not.toContain("8618620001111");
  });

  it("reports every bad row by row, column and reason, without the row's values", async () => {
    const { events, problems } = await read(
      [
        "event_id,number,carrier,event,date",
        "a,13900139000,cmcc,activated,2025-01-01",
        "b,12345,cmcc,activated,2025-01-01",
        "c,01062345678,cmcc,activated,2025-01-01",
        "d,13900139001,xyz,activated,2025-01-01",
        "e,13900139002,cmcc,lost,2025-01-01",
        "f,13900139003,cmcc,activated,2025-02-30",
        "g,13900139004,cmcc,activated,2027-01-01",
        "h,13900139005,cmcc,activated,1.1.2025",
        "i,13900139006,cmcc,activated",
        ",,,,",
        "sha256:abc,13900139007,cmcc,activated,2025-01-01",
      ].join("\n"),
    );
    expect(events.map((e) => e.eventId)).toEqual(["a"]);
    const by = problems.map((p) => [p.row, p.column]);
    expect(by).toEqual([
      [3, "number"],
      [4, "number"],
      [5, "carrier"],
      [6, "event"],
      [7, "date"],
      [8, "date"],
      [9, "date"],
      [10, null],
      [10, "date"],
      [11, "number"],
      [11, "carrier"],
      [11, "event"],
      [11, "date"],
      [12, "event_id"],
    ]);
    expect(problems.find((p) => p.row === 4)!.reason).toBe("not a mobile number");
    expect(problems.find((p) => p.row === 8)!.reason).toBe("in the future");
    expect(problems.find((p) => p.row === 7)!.reason).toBe("no such date or time");
    expect(problems.find((p) => p.row === 5)!.reason).toContain("CMCC, CUCC, CTCC");
    for (const p of problems) expect(p.reason).not.toMatch(/1390013900/);
  });

  it("refuses a header without a required column or with an unknown one, and a broken file as a whole", async () => {
    expect((await read("number,carrier,event\n13900139000,cmcc,activated\n")).problems).toEqual([{ row: 1, column: "date", reason: "the header has no such column, and it is required" }]);
    expect((await read("number,carrier,event,date,colour\n")).problems[0]).toMatchObject({ row: 1, column: null });
    expect((await read("")).problems[0]).toMatchObject({ row: 0 });
    const broken = await read('number,carrier,event,date\n13900139000,cmcc,activated,2025-01-01\n"13900139001,cmcc,activated,2025-01-02\n');
    expect(broken.events).toEqual([]);
    expect(broken.problems[0]!.reason).toContain("not valid CSV");
  });

  it("refuses the file once, not row by row, when the database has no carriers", async () => {
    const none = await readCarrierRecords(Readable.from(["number,carrier,event,date\n13900139000,cmcc,activated,2025-01-01\n"]), { carriers: [], now });
    expect(none).toMatchObject({ events: [], problems: [{ row: 0, column: null, reason: expect.stringContaining("no carriers") }] });
  });

  it("reads dates as China time unless an offset is given", () => {
    expect(readDate("2025-03-01", now)).toEqual(new Date("2025-02-28T16:00:00Z"));
    expect(readDate("2025-03-01T08:00:00", now)).toEqual(new Date("2025-03-01T00:00:00Z"));
    expect(readDate("2025-03-01T08:00:00+0100", now)).toEqual(new Date("2025-03-01T07:00:00Z"));
    expect(readDate("2025-03-01 08:00", now)).toEqual(new Date("2025-03-01T00:00:00Z"));
    expect(readDate("2025-13-01", now)).toBe("no such date or time");
    expect(readDate("2026-11-28T10:00:01+08:00", now)).toBe("in the future");
  });
});

describe("checking a file's events against each other", () => {
  const ev = async (lines: string[]) => (await read(["number,carrier,event,date,event_id", ...lines].join("\n"))).events;

  it("reports a duplicate event id and a repeated row without one", async () => {
    const { events, problems } = checkFile(await ev(["13900139000,cmcc,activated,2025-01-01,x", "13900139001,cmcc,activated,2025-01-01,x", "13900139002,cmcc,activated,2025-01-01,", "13900139002,cmcc,activated,2025-01-01,"]));
    expect(events).toHaveLength(2);
    expect(problems).toMatchObject([
      { row: 3, column: "event_id", reason: expect.stringContaining("row 2") },
      { row: 5, column: "event_id", reason: expect.stringContaining("row 4") },
    ]);
  });

  it("reports contradictions within one number's events, in date order whatever the file's order", async () => {
    const { events, problems } = checkFile(
      await ev([
        "13900139000,cmcc,reissued,2025-06-01,r",
        "13900139000,cmcc,activated,2025-01-01,a",
        "13900139000,cmcc,cancelled,2025-05-01,c1",
        "13900139000,cmcc,cancelled,2025-05-10,c2",
        "13900139000,cmcc,sim_changed,2025-05-20,s",
        "13900139000,cmcc,activated,2025-07-01,a2",
        "13900139000,cmcc,ported_in,2025-08-01,p",
        "13900139001,cmcc,activated,2025-01-01,b1",
        "13900139001,cmcc,sim_changed,2025-01-01,b2",
      ]),
    );
    expect(events.map((e) => e.eventId)).toEqual(["a", "c1", "r", "p", "b1"]);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [5, "event"],
      [6, "event"],
      [7, "event"],
      [10, "date"],
    ]);
    expect(problems[0]!.reason).toContain("no subscriber to end");
    expect(problems[2]!.reason).toContain("a cancellation comes first");
  });
});
