ALTER TYPE "public"."staff_role" ADD VALUE 'supervisor' BEFORE 'regulator';--> statement-breakpoint
ALTER TABLE "staff_users" DROP CONSTRAINT "staff_agent_has_carrier";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "ip" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_agent_has_carrier" CHECK ("staff_users"."role"::text not in ('agent', 'supervisor') or "staff_users"."carrier_id" is not null);