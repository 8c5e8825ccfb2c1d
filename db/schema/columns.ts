import { timestamp } from "drizzle-orm/pg-core";

/** Shared column builders; not re-exported by ./index.ts (they are not tables). */
export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
