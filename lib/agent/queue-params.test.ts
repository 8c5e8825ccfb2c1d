import { describe, expect, it } from "vitest";
import { hasFilters, pageCount, parseQueueParams, queueFilter, queueQuery } from "./queue-params";

const agent = { anyAssignee: false, chooseCarrier: false };
const supervisor = { anyAssignee: true, chooseCarrier: false };
const admin = { anyAssignee: true, chooseCarrier: true };
const staffId = "0b5f8c1e-6a0d-4a8e-9a43-2f1f1c9b7d10";
const now = new Date("2026-12-01T00:00:00Z");

describe("queue params (lib/agent/queue-params)", () => {
  it("reads every filter from the URL", () => {
    expect(parseQueueParams({ status: "waiting_owner", kind: "owner_help", age: "7", assignee: "me", overdue: "1", page: "3" }, agent)).toEqual({
      status: "waiting_owner",
      kind: "owner_help",
      age: 7,
      assignee: "me",
      overdue: true,
      page: 3,
    });
    expect(parseQueueParams({ assignee: "unassigned" }, agent)).toEqual({ assignee: "unassigned", page: 1 });
  });

  it("drops what it does not recognise instead of failing", () => {
    expect(
      parseQueueParams({ status: "deleted", kind: "x'; drop table", age: "8", assignee: "someone", overdue: "maybe", page: "-2", carrier: "cmcc" }, agent),
    ).toEqual({ page: 1 });
    for (const page of ["0", "1.5", "abc", "99999999", ""]) expect(parseQueueParams({ page }, agent).page).toBe(1);
    // Repeated keys: the first counts.
    expect(parseQueueParams({ status: ["open", "closed"] }, agent).status).toBe("open");
  });

  it("takes a staff id as the assignee from supervisors and admins only, and a carrier from admins only", () => {
    expect(parseQueueParams({ assignee: staffId }, agent).assignee).toBeUndefined();
    expect(parseQueueParams({ assignee: staffId }, supervisor).assignee).toBe(staffId);
    expect(parseQueueParams({ assignee: "not-a-uuid" }, supervisor).assignee).toBeUndefined();
    expect(parseQueueParams({ carrier: "cmcc" }, supervisor).carrier).toBeUndefined();
    expect(parseQueueParams({ carrier: "CMCC" }, admin).carrier).toBe("cmcc");
    expect(parseQueueParams({ carrier: "../../etc" }, admin).carrier).toBeUndefined();
  });

  it("becomes the caseQueue filter of one carrier", () => {
    const p = parseQueueParams({ status: "open", age: "15", overdue: "true", assignee: "me", page: "2" }, agent);
    expect(queueFilter(p, { carrierId: "c", me: "s", now })).toEqual({
      carrierId: "c",
      me: "s",
      now,
      page: 2,
      pageSize: 25,
      status: "open",
      assignee: "me",
      overdue: true,
      olderThanDays: 15,
    });
    expect(queueFilter({ page: 1 }, { carrierId: "c", me: "s", now, pageSize: 10 })).toEqual({ carrierId: "c", me: "s", now, page: 1, pageSize: 10 });
  });

  it("writes the filters back as one query string per view, and round-trips", () => {
    const p = parseQueueParams({ overdue: "on", kind: "manual", status: "open", age: "30", assignee: staffId, carrier: "cucc", page: "4" }, admin);
    const qs = queueQuery(p);
    expect(qs).toBe(`?carrier=cucc&status=open&kind=manual&age=30&assignee=${staffId}&overdue=1&page=4`);
    expect(parseQueueParams(Object.fromEntries(new URLSearchParams(qs)), admin)).toEqual(p);
    expect(queueQuery(p, { page: 1 })).not.toContain("page=");
    expect(queueQuery({ page: 1 })).toBe("");
    expect(queueQuery({ page: 1, status: "open" }, { page: 2 })).toBe("?status=open&page=2");
  });

  it("says whether anything filters, and how many pages a total fills", () => {
    expect(hasFilters({ page: 3, carrier: "cmcc" })).toBe(false);
    expect(hasFilters({ page: 1, overdue: true })).toBe(true);
    expect([0, 1, 25, 26, 100].map((n) => pageCount(n))).toEqual([1, 1, 1, 2, 4]);
  });
});
