-- Fills audit_log.carrier_id (0011) for the rows written before it, by the rule lib/audit.ts now
-- applies when a row is written (docs/audit.md): the subject case's or tenure record's carrier, else
-- the staff actor's, else that of the owner actor's open tenure. This is the one change ever made
-- to existing audit rows: it sets a column that did not exist when they were written and touches no
-- other. The append-only trigger (0009) is off for this statement only, inside the migration's
-- transaction, and on again before the transaction commits.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update_or_delete";--> statement-breakpoint
UPDATE "audit_log" a SET "carrier_id" = coalesce(
  (select c."carrier_id" from "agent_cases" c where a."subject_type" = 'agent_case' and c."id"::text = a."subject_id"),
  (select t."carrier_id" from "number_tenures" t where a."subject_type" = 'number_tenure' and t."id"::text = a."subject_id"),
  (select s."carrier_id" from "staff_users" s where a."actor_type" = 'staff' and s."id"::text = a."actor_id"),
  (select t."carrier_id" from "owners" o join "number_tenures" t on t."number" = o."number" and t."ended_at" is null
     where a."actor_type" = 'owner' and o."id"::text = a."actor_id")
) WHERE a."carrier_id" is null;--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update_or_delete";
