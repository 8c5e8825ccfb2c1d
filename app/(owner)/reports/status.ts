import type { ReportStatus } from "@/db/schema";

export const REPORT_STATUS_VARIANT: Record<ReportStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  received: "neutral",
  forwarded: "info",
  acknowledged: "info",
  agent_review: "warning",
  resolved: "success",
  closed: "neutral",
};
