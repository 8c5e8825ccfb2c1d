ALTER TABLE "sms_outbox" ADD COLUMN "viewer" text;--> statement-breakpoint
CREATE INDEX "sms_outbox_viewer_idx" ON "sms_outbox" USING btree ("viewer","id");