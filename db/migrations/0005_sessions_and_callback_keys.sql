CREATE TABLE "revoked_sessions" (
	"session_id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_callbacks" DROP CONSTRAINT "partner_callbacks_pkey";--> statement-breakpoint
ALTER TABLE "partner_callbacks" ADD CONSTRAINT "partner_callbacks_platform_id_webhook_id_pk" PRIMARY KEY("platform_id","webhook_id");--> statement-breakpoint
ALTER TABLE "owners" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "revoked_sessions_expires_idx" ON "revoked_sessions" USING btree ("expires_at");