CREATE TYPE "public"."actor_type" AS ENUM('owner', 'staff', 'system', 'platform');--> statement-breakpoint
CREATE TYPE "public"."platform_category" AS ENUM('messaging', 'ride_hailing', 'e_commerce', 'payments', 'lending', 'food_delivery', 'government', 'social');--> statement-breakpoint
CREATE TYPE "public"."platform_disclosure" AS ENUM('named', 'category');--> statement-breakpoint
CREATE TYPE "public"."platform_status" AS ENUM('active', 'paused', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('agent', 'regulator', 'admin');--> statement-breakpoint
CREATE TYPE "public"."tenure_source" AS ENUM('carrier_record', 'self_declared', 'agent_confirmed');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"metadata" jsonb
);
--> statement-breakpoint
CREATE TABLE "carriers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carriers_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "number_tenures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"carrier_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"source" "tenure_source" NOT NULL,
	"sim_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "number_tenures_e164" CHECK ("number_tenures"."number" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "number_tenures_order" CHECK ("number_tenures"."ended_at" is null or "number_tenures"."ended_at" > "number_tenures"."started_at")
);
--> statement-breakpoint
CREATE TABLE "platforms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"category" "platform_category" NOT NULL,
	"disclosure" "platform_disclosure" DEFAULT 'named' NOT NULL,
	"base_url" text NOT NULL,
	"status" "platform_status" DEFAULT 'active' NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platforms_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "staff_role" NOT NULL,
	"carrier_id" uuid,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_email_unique" UNIQUE("email"),
	CONSTRAINT "staff_agent_has_carrier" CHECK ("staff_users"."role" <> 'agent' or "staff_users"."carrier_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "number_tenures" ADD CONSTRAINT "number_tenures_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "number_tenures_number_idx" ON "number_tenures" USING btree ("number","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "number_tenures_one_open_idx" ON "number_tenures" USING btree ("number") WHERE "number_tenures"."ended_at" is null;