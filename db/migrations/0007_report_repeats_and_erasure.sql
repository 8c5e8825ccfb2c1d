CREATE TYPE "public"."platform_event_type" AS ENUM('owner.erased');--> statement-breakpoint
CREATE TYPE "public"."tally_subject" AS ENUM('report', 'unbind_item');--> statement-breakpoint
ALTER TYPE "public"."outbox_kind" ADD VALUE 'platform_event';--> statement-breakpoint
CREATE TABLE "erased_tallies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"erasure_id" uuid NOT NULL,
	"subject" "tally_subject" NOT NULL,
	"month" text NOT NULL,
	"carrier_id" uuid,
	"platform_id" uuid,
	"category" text,
	"status" text NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"erased_at" timestamp with time zone NOT NULL,
	"removed" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_id" uuid NOT NULL,
	"type" "platform_event_type" NOT NULL,
	"number" text,
	"at" timestamp with time zone NOT NULL,
	"erasure_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "repeat_of" uuid;--> statement-breakpoint
ALTER TABLE "erased_tallies" ADD CONSTRAINT "erased_tallies_erasure_id_erasures_id_fk" FOREIGN KEY ("erasure_id") REFERENCES "public"."erasures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erased_tallies" ADD CONSTRAINT "erased_tallies_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erased_tallies" ADD CONSTRAINT "erased_tallies_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_events" ADD CONSTRAINT "platform_events_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_events" ADD CONSTRAINT "platform_events_erasure_id_erasures_id_fk" FOREIGN KEY ("erasure_id") REFERENCES "public"."erasures"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erased_tallies_month_idx" ON "erased_tallies" USING btree ("subject","month");--> statement-breakpoint
CREATE UNIQUE INDEX "platform_events_erasure_platform_idx" ON "platform_events" USING btree ("erasure_id","platform_id") WHERE "platform_events"."erasure_id" is not null;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_repeat_of_reports_id_fk" FOREIGN KEY ("repeat_of") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_repeat_of_idx" ON "reports" USING btree ("repeat_of");