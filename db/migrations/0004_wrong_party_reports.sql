CREATE TYPE "public"."report_category" AS ENUM('debt_collection', 'loan_credit', 'ride_delivery', 'government_notice', 'verification_code', 'previous_owner', 'marketing', 'fraud', 'other');--> statement-breakpoint
CREATE TYPE "public"."report_channel" AS ENUM('sms', 'call', 'other');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('received', 'forwarded', 'acknowledged', 'agent_review', 'resolved', 'closed');--> statement-breakpoint
ALTER TYPE "public"."case_kind" ADD VALUE 'report_review';--> statement-breakpoint
ALTER TYPE "public"."outbox_kind" ADD VALUE 'wrong_party_report';--> statement-breakpoint
CREATE TABLE "report_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" uuid NOT NULL,
	"status" "report_status" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "report_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"mime" text NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "report_evidence_storage_key_unique" UNIQUE("storage_key")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"tenure_id" uuid NOT NULL,
	"carrier_id" uuid,
	"channel" "report_channel" NOT NULL,
	"category" "report_category" NOT NULL,
	"suggested_category" "report_category" NOT NULL,
	"platform_id" uuid,
	"company_enc" text,
	"text_enc" text NOT NULL,
	"sender_enc" text,
	"received_at" timestamp with time zone NOT NULL,
	"status" "report_status" DEFAULT 'received' NOT NULL,
	"reason" text,
	"note" text,
	"dedupe_key" text NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "report_id" uuid;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD COLUMN "assigned_to" uuid;--> statement-breakpoint
ALTER TABLE "platforms" ADD COLUMN "sender_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "report_events" ADD CONSTRAINT "report_events_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_evidence" ADD CONSTRAINT "report_evidence_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tenure_id_number_tenures_id_fk" FOREIGN KEY ("tenure_id") REFERENCES "public"."number_tenures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_events_report_idx" ON "report_events" USING btree ("report_id","at");--> statement-breakpoint
CREATE INDEX "report_evidence_report_idx" ON "report_evidence" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "reports_owner_idx" ON "reports" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "reports_tenure_idx" ON "reports" USING btree ("tenure_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_open_dedupe_idx" ON "reports" USING btree ("tenure_id","dedupe_key") WHERE "reports"."closed_at" is null;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_assigned_to_staff_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_cases_open_report_idx" ON "agent_cases" USING btree ("report_id") WHERE "agent_cases"."status" = 'open' and "agent_cases"."report_id" is not null;