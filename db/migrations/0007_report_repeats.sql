ALTER TABLE "reports" ADD COLUMN "repeat_of" uuid;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_repeat_of_reports_id_fk" FOREIGN KEY ("repeat_of") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_repeat_of_idx" ON "reports" USING btree ("repeat_of");