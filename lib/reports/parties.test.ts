import { describe, expect, it } from "vitest";
import { reportHandler, reportSender } from "./parties";

describe("who sent a reported message, and who handles the report", () => {
  it("takes the sender from what the owner told us, never from where the report went", () => {
    expect(reportSender({ platformId: "p1", companyName: null, sender: "10690003001" })).toEqual({ kind: "platform", platformId: "p1" });
    expect(reportSender({ platformId: null, companyName: "幸福街道办事处", sender: "10690000123" })).toEqual({ kind: "named", name: "幸福街道办事处" });
    expect(reportSender({ platformId: null, companyName: null, sender: " 17100001111 " })).toEqual({ kind: "named", name: "17100001111" });
    expect(reportSender({ platformId: null, companyName: "  ", sender: null })).toEqual({ kind: "not_given" });
  });

  it("has the platform handle a report forwarded to it, and carrier customer service once it was handed over", () => {
    expect(reportHandler({ platformId: "p1", handedToAgents: false })).toEqual({ kind: "platform", platformId: "p1" });
    expect(reportHandler({ platformId: null, handedToAgents: true })).toEqual({ kind: "carrier" });
    // Disputed, undeliverable or gone quiet: the carrier's case is what moves it from then on.
    expect(reportHandler({ platformId: "p1", handedToAgents: true })).toEqual({ kind: "carrier" });
  });
});
