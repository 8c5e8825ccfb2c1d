import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { CASE_KINDS, CASE_STATUSES } from "../enums";
import { staffUsers } from "./auth";
import { carriers, owners } from "./owners";
import { platforms } from "./platforms";
import { reports } from "./reports";
import { unbindItems } from "./unbind";

export const caseKind = pgEnum("case_kind", CASE_KINDS);
export const caseStatus = pgEnum("case_status", CASE_STATUSES);

/** Work for a carrier agent. The agent console issue builds the queue view on these. */
export const agentCases = pgTable(
  "agent_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: caseKind("kind").notNull(),
    status: caseStatus("status").notNull().default("open"),
    carrierId: uuid("carrier_id").references(() => carriers.id),
    ownerId: uuid("owner_id").references(() => owners.id, { onDelete: "set null" }),
    platformId: uuid("platform_id").references(() => platforms.id),
    unbindItemId: uuid("unbind_item_id").references(() => unbindItems.id, { onDelete: "set null" }),
    reportId: uuid("report_id").references(() => reports.id, { onDelete: "cascade" }),
    /** The agent working the case; only they (and the owner) may read a report's text and files. */
    assignedTo: uuid("assigned_to").references(() => staffUsers.id),
    detail: text("detail"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("agent_cases_queue_idx").on(t.carrierId, t.status, t.createdAt),
    // A report is in an agent's queue at most once while open.
    uniqueIndex("agent_cases_open_report_idx").on(t.reportId).where(sql`${t.status} = 'open' and ${t.reportId} is not null`),
  ],
);
