CREATE TYPE "public"."number_event_source" AS ENUM('csv', 'carrier_api');--> statement-breakpoint
CREATE TYPE "public"."number_event_type" AS ENUM('activated', 'cancelled', 'reissued', 'sim_changed', 'ported_in', 'ported_out');--> statement-breakpoint
CREATE TABLE "number_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" text NOT NULL,
	"number" text NOT NULL,
	"carrier_id" uuid NOT NULL,
	"type" "number_event_type" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" "number_event_source" NOT NULL,
	CONSTRAINT "number_events_event_id_unique" UNIQUE("event_id"),
	CONSTRAINT "number_events_e164" CHECK ("number_events"."number" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
ALTER TABLE "number_events" ADD CONSTRAINT "number_events_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "number_events_number_idx" ON "number_events" USING btree ("number","at");