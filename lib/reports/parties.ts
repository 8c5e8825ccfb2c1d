/**
 * Who sent a reported message and who is dealing with it: two different things. The sender is what
 * the owner told us (the platform they named, else the company or sender they typed); the handler
 * is whoever has the report now: the platform it was forwarded to, or the carrier's customer
 * service once no platform can (none named, delivery failed, disputed, gone quiet).
 */

export type ReportSender = { kind: "platform"; platformId: string } | { kind: "named"; name: string } | { kind: "not_given" };
export type ReportHandler = { kind: "platform"; platformId: string } | { kind: "carrier" };

export function reportSender(report: { platformId: string | null; companyName: string | null; sender: string | null }): ReportSender {
  if (report.platformId) return { kind: "platform", platformId: report.platformId };
  const name = report.companyName?.trim() || report.sender?.trim();
  return name ? { kind: "named", name } : { kind: "not_given" };
}

/**
 * `handedToAgents`: the report has been in agent review at some point. It stays with the carrier's
 * agents from then on (their case is what moves it), even when a late platform answer resolves it.
 */
export function reportHandler(report: { platformId: string | null; handedToAgents: boolean }): ReportHandler {
  return report.platformId && !report.handedToAgents ? { kind: "platform", platformId: report.platformId } : { kind: "carrier" };
}
