import { bigserial, index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/** Messages the development SMS provider "sent": read by /dev/sms and the e2e tests. */
export const smsOutbox = pgTable(
  "sms_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    body: text("body").notNull(),
    /** SHA-256 of the device id of the browser that asked for the message: a public sandbox shows it to that browser only. */
    viewer: text("viewer"),
    createdAt: createdAt(),
  },
  (t) => [index("sms_outbox_to_idx").on(t.to, t.id), index("sms_outbox_viewer_idx").on(t.viewer, t.id)],
);
