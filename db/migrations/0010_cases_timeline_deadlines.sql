CREATE TYPE "public"."case_event_kind" AS ENUM('opened', 'status', 'assigned', 'routed', 'note', 'reply', 'owner_reply', 'first_response');--> statement-breakpoint
ALTER TYPE "public"."case_kind" ADD VALUE 'owner_help';--> statement-breakpoint
ALTER TYPE "public"."case_kind" ADD VALUE 'tenure_review';--> statement-breakpoint
ALTER TYPE "public"."case_kind" ADD VALUE 'manual';--> statement-breakpoint
ALTER TYPE "public"."case_status" ADD VALUE 'in_progress' BEFORE 'closed';--> statement-breakpoint
ALTER TYPE "public"."case_status" ADD VALUE 'waiting_platform' BEFORE 'closed';--> statement-breakpoint
ALTER TYPE "public"."case_status" ADD VALUE 'waiting_owner' BEFORE 'closed';--> statement-breakpoint
ALTER TYPE "public"."case_status" ADD VALUE 'resolved' BEFORE 'closed';--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"kind" "case_event_kind" NOT NULL,
	"from_status" "case_status",
	"to_status" "case_status",
	"assignee_id" uuid,
	"text_enc" text
);
--> statement-breakpoint
DROP INDEX "agent_cases_queue_idx";--> statement-breakpoint
DROP INDEX "agent_cases_open_report_idx";--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "tenure_id" uuid;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "first_response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "resolution_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "first_responded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "next_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
-- Cases opened before deadlines existed get the default ones (48 hours, 15 days); closed ones count as settled when opened.
UPDATE "agent_cases" SET "first_response_due_at" = "created_at" + interval '48 hours', "resolution_due_at" = "created_at" + interval '15 days', "next_due_at" = "created_at" + interval '48 hours', "settled_at" = CASE WHEN "status" = 'closed' THEN "created_at" END;--> statement-breakpoint
ALTER TABLE "agent_cases" ALTER COLUMN "first_response_due_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_cases" ALTER COLUMN "resolution_due_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_cases" ALTER COLUMN "next_due_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_agent_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."agent_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_id_staff_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_assignee_id_staff_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_tenure_id_number_tenures_id_fk" FOREIGN KEY ("tenure_id") REFERENCES "public"."number_tenures"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_cases_assignee_idx" ON "agent_cases" USING btree ("assigned_to","next_due_at") WHERE "agent_cases"."settled_at" is null;--> statement-breakpoint
CREATE INDEX "agent_cases_unbind_item_idx" ON "agent_cases" USING btree ("unbind_item_id");--> statement-breakpoint
CREATE INDEX "agent_cases_owner_idx" ON "agent_cases" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "agent_cases_queue_idx" ON "agent_cases" USING btree ("carrier_id",("settled_at" is not null),"next_due_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_cases_open_report_idx" ON "agent_cases" USING btree ("report_id") WHERE "agent_cases"."settled_at" is null and "agent_cases"."report_id" is not null;