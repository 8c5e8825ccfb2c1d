CREATE TYPE "public"."consent_purpose" AS ENUM('platform_lookup');--> statement-breakpoint
CREATE TYPE "public"."lookup_status" AS ENUM('pending', 'bound_before_tenure', 'bound_since_tenure', 'not_bound', 'unavailable');--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"tenure_id" uuid NOT NULL,
	"purpose" "consent_purpose" NOT NULL,
	"text_version" text NOT NULL,
	"platform_ids" uuid[] NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lookup_results" (
	"lookup_id" uuid NOT NULL,
	"platform_id" uuid NOT NULL,
	"status" "lookup_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"latency_ms" integer,
	"answered_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	CONSTRAINT "lookup_results_lookup_id_platform_id_pk" PRIMARY KEY("lookup_id","platform_id")
);
--> statement-breakpoint
CREATE TABLE "lookups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"tenure_id" uuid NOT NULL,
	"tenure_start" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "platforms" ADD COLUMN "signing_secrets" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_tenure_id_number_tenures_id_fk" FOREIGN KEY ("tenure_id") REFERENCES "public"."number_tenures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookup_results" ADD CONSTRAINT "lookup_results_lookup_id_lookups_id_fk" FOREIGN KEY ("lookup_id") REFERENCES "public"."lookups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookup_results" ADD CONSTRAINT "lookup_results_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookups" ADD CONSTRAINT "lookups_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookups" ADD CONSTRAINT "lookups_tenure_id_number_tenures_id_fk" FOREIGN KEY ("tenure_id") REFERENCES "public"."number_tenures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_owner_idx" ON "consents" USING btree ("owner_id","tenure_id","purpose","given_at");--> statement-breakpoint
CREATE INDEX "lookup_results_retry_idx" ON "lookup_results" USING btree ("next_attempt_at") WHERE "lookup_results"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "lookups_owner_idx" ON "lookups" USING btree ("owner_id","started_at");