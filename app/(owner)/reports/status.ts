import type { ReportStatus } from "@/db/schema";

export const REPORT_STATUS_VARIANT: Record<ReportStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  received: "neutral",
  forwarded: "info",
  acknowledged: "info",
  agent_review: "warning",
  resolved: "success",
  closed: "neutral",
};

export const REPORT_REASONS = ["contact_stopped", "disputed", "no_platform", "delivery_failed", "no_answer", "owner_closed"] as const;
export type KnownReason = (typeof REPORT_REASONS)[number];
export const knownReason = (reason: string | null): KnownReason | null =>
  (REPORT_REASONS as readonly string[]).includes(reason ?? "") ? (reason as KnownReason) : null;
