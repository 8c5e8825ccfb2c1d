import { beforeEach, describe, expect, it, vi } from "vitest";

// The wrapper around lib/agent/queue (tested on a database in lib/agent/queue.test.ts): the agent
// area's guard runs first, the session's staff member is the actor, a refusal is a translated
// message with nothing revalidated, a success revalidates the queue and says so.
const state = vi.hoisted(() => ({ user: null as null | Record<string, unknown> }));
vi.mock("@/auth", () => ({ auth: async () => (state.user ? { user: state.user } : null) }));
vi.mock("@/db/startup", () => ({ prepareDatabase: async () => ({ handle: { db: "the-db" } }) }));
vi.mock("@/lib/auth/staff", () => ({ staffSessionValid: async () => true }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getTranslations: async () => Object.assign((key: string) => key, { has: () => true }) }));
vi.mock("@/lib/agent/queue", () => ({ takeCase: vi.fn(), giveCase: vi.fn(), routeToCarrier: vi.fn() }));

const { assignCase, assignToMe, routeCase } = await import("./actions");
const queue = await import("@/lib/agent/queue");
const { revalidatePath } = await import("next/cache");

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const agent = { id: "staff-agent", name: "A", role: "agent", carrierId: "carrier-x" };
const caseId = "0b5f8c1e-6a0d-4a8e-9a43-2f1f1c9b7d10";

beforeEach(() => {
  vi.clearAllMocks();
  state.user = agent;
});

describe("the queue's actions (app/agent/actions.ts)", () => {
  it("assign to me: the session's staff member is the actor; success revalidates /agent and says so", async () => {
    vi.mocked(queue.takeCase).mockResolvedValue({ ok: true });
    expect(await assignToMe({ ok: false }, form({ caseId }))).toEqual({ ok: true, message: "agentQueue.done.assignedToMe" });
    expect(queue.takeCase).toHaveBeenCalledWith("the-db", expect.objectContaining({ caseId, actor: expect.objectContaining({ id: "staff-agent", role: "agent", carrierId: "carrier-x" }) }));
    expect(revalidatePath).toHaveBeenCalledWith("/agent");
  });

  it("a refusal is the error's translated message, and nothing is revalidated", async () => {
    for (const error of ["not_found", "forbidden", "settled", "not_staff_of_the_carrier"] as const) {
      vi.mocked(queue.giveCase).mockResolvedValue({ ok: false, error });
      expect(await assignCase({ ok: false }, form({ caseId, assignee: "unassigned" }))).toMatchObject({ ok: false, message: `agentQueue.errors.${error}` });
    }
    vi.mocked(queue.routeToCarrier).mockResolvedValue({ ok: false, error: "unknown_carrier" });
    expect(await routeCase({ ok: false }, form({ caseId, carrier: "x" }))).toMatchObject({ ok: false, message: "agentQueue.errors.unknown_carrier" });
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("says which assignment was made, and routes by carrier code", async () => {
    vi.mocked(queue.giveCase).mockResolvedValue({ ok: true });
    expect(await assignCase({ ok: false }, form({ caseId, assignee: "unassigned" }))).toEqual({ ok: true, message: "agentQueue.done.unassigned" });
    expect(await assignCase({ ok: false }, form({ caseId, assignee: caseId }))).toEqual({ ok: true, message: "agentQueue.done.assigned" });
    vi.mocked(queue.routeToCarrier).mockResolvedValue({ ok: true });
    state.user = { id: "staff-admin", name: "D", role: "admin", carrierId: null };
    expect(await routeCase({ ok: false }, form({ caseId, carrier: "cmcc" }))).toEqual({ ok: true, message: "agentQueue.done.routed" });
    expect(queue.routeToCarrier).toHaveBeenCalledWith("the-db", expect.objectContaining({ caseId, carrier: "cmcc", actor: expect.objectContaining({ role: "admin" }) }));
  });

  it("owners, regulators and signed-out visitors are sent away before anything runs", async () => {
    for (const [user, to] of [
      [{ id: "owner-1", role: "owner", number: "+8613800138000" }, "/staff/login"],
      [{ id: "r", name: "R", role: "regulator", carrierId: null }, "/regulator"],
      [null, "/staff/login"],
    ] as const) {
      state.user = user;
      await expect(assignToMe({ ok: false }, form({ caseId }))).rejects.toMatchObject({ digest: expect.stringContaining(`;${to};`) });
    }
    expect(queue.takeCase).not.toHaveBeenCalled();
  });

  it("a field too long is refused in words without reaching the queue", async () => {
    expect((await assignToMe({ ok: false }, form({ caseId: "x".repeat(100) }))).ok).toBe(false);
    expect(queue.takeCase).not.toHaveBeenCalled();
  });
});
