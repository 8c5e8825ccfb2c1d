ALTER TYPE "public"."outbox_kind" ADD VALUE 'case_reply_sms';--> statement-breakpoint
ALTER TYPE "public"."case_event_kind" ADD VALUE 'tenure_confirmed';--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "earlier_attempts" integer DEFAULT 0 NOT NULL;