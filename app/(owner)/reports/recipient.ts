import { reportHandler, reportSender } from "@/lib/reports/parties";

/** Who a report went to, in words: the platform, the company the owner typed, or the carrier's customer service. */
export function recipientOf(report: { platformId: string | null; companyName: string | null }, names: Map<string, string>, carrierAgents: string): string {
  return (report.platformId ? names.get(report.platformId) : report.companyName) ?? carrierAgents;
}

/**
 * "Who sent it" (as the owner told us, or "not given") and "Handled by" (the platform, or carrier
 * customer service), in words. The owner named the platform themselves, so it is named here.
 */
export function partiesOf(
  report: { platformId: string | null; companyName: string | null; sender: string | null; handedToAgents: boolean },
  names: Map<string, string>,
  words: { notGiven: string; carrier: string },
): { from: string; handler: string; fromIsSender: boolean } {
  const sender = reportSender(report);
  const handler = reportHandler(report);
  const from = sender.kind === "platform" ? (names.get(sender.platformId) ?? words.notGiven) : sender.kind === "named" ? sender.name : words.notGiven;
  return {
    from,
    handler: handler.kind === "platform" ? (names.get(handler.platformId) ?? words.carrier) : words.carrier,
    // No platform or company named: the sender number or name stands in for who sent it.
    fromIsSender: sender.kind === "named" && !report.companyName?.trim(),
  };
}
