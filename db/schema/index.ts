/**
 * The whole schema, by domain; `@/db/schema` is the one import path (drizzle.config.ts reads this
 * file). The value lists of the enums are in ../enums.ts.
 */
export * from "./owners";
export * from "./auth";
export * from "./platforms";
export * from "./lookups";
export * from "./unbind";
export * from "./outbox";
export * from "./reports";
export * from "./cases";
export * from "./audit";
export * from "./rate-limits";
export * from "./sms";
export * from "./erasure";
export * from "./api-clients";
export * from "./records";
