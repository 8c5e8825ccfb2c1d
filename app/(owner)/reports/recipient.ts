/** Who a report went to, in words: the platform, the company the owner typed, or the carrier's agents. */
export function recipientOf(report: { platformId: string | null; companyName: string | null }, names: Map<string, string>, carrierAgents: string): string {
  return (report.platformId ? names.get(report.platformId) : report.companyName) ?? carrierAgents;
}
