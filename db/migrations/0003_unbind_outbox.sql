CREATE TYPE "public"."case_kind" AS ENUM('delivery_failed', 'endpoint_gone', 'no_answer');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."outbox_kind" AS ENUM('unbind_request', 'owner_sms');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'delivered', 'dead');--> statement-breakpoint
CREATE TYPE "public"."unbind_status" AS ENUM('queued', 'sent', 'accepted', 'unbound', 'scheduled', 'rejected', 'needs_owner_action', 'failed');--> statement-breakpoint
CREATE TABLE "agent_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "case_kind" NOT NULL,
	"status" "case_status" DEFAULT 'open' NOT NULL,
	"carrier_id" uuid,
	"owner_id" uuid,
	"platform_id" uuid,
	"unbind_item_id" uuid,
	"detail" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" "outbox_kind" NOT NULL,
	"message_id" uuid NOT NULL,
	"platform_id" uuid,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "partner_callbacks" (
	"webhook_id" text PRIMARY KEY NOT NULL,
	"platform_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unbind_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"tenure_id" uuid NOT NULL,
	"selection" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "unbind_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"status" "unbind_status" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "unbind_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"platform_id" uuid NOT NULL,
	"status" "unbind_status" DEFAULT 'queued' NOT NULL,
	"effective_at" timestamp with time zone,
	"reason" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "owners" ADD COLUMN "last_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_cases" ADD CONSTRAINT "agent_cases_unbind_item_id_unbind_items_id_fk" FOREIGN KEY ("unbind_item_id") REFERENCES "public"."unbind_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_callbacks" ADD CONSTRAINT "partner_callbacks_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unbind_batches" ADD CONSTRAINT "unbind_batches_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unbind_batches" ADD CONSTRAINT "unbind_batches_tenure_id_number_tenures_id_fk" FOREIGN KEY ("tenure_id") REFERENCES "public"."number_tenures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unbind_events" ADD CONSTRAINT "unbind_events_item_id_unbind_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."unbind_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unbind_items" ADD CONSTRAINT "unbind_items_batch_id_unbind_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."unbind_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unbind_items" ADD CONSTRAINT "unbind_items_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_cases_queue_idx" ON "agent_cases" USING btree ("carrier_id","status","created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at","id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "unbind_batches_owner_idx" ON "unbind_batches" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "unbind_batches_open_selection_idx" ON "unbind_batches" USING btree ("owner_id","selection") WHERE "unbind_batches"."completed_at" is null;--> statement-breakpoint
CREATE INDEX "unbind_events_item_idx" ON "unbind_events" USING btree ("item_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "unbind_items_batch_platform_idx" ON "unbind_items" USING btree ("batch_id","platform_id");