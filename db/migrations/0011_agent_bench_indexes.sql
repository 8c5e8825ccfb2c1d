DROP INDEX "agent_cases_assignee_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "carrier_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_cases_unassigned_idx" ON "agent_cases" USING btree ("carrier_id",("settled_at" is not null),"next_due_at","id") WHERE "agent_cases"."assigned_to" is null;--> statement-breakpoint
CREATE INDEX "agent_cases_status_idx" ON "agent_cases" USING btree ("carrier_id","status",("settled_at" is not null),"next_due_at","id");--> statement-breakpoint
CREATE INDEX "agent_cases_kind_idx" ON "agent_cases" USING btree ("carrier_id","kind",("settled_at" is not null),"next_due_at","id");--> statement-breakpoint
CREATE INDEX "agent_cases_created_idx" ON "agent_cases" USING btree ("carrier_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_carrier_idx" ON "audit_log" USING btree ("carrier_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_log_carrier_action_idx" ON "audit_log" USING btree ("carrier_id","action","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "agent_cases_assignee_idx" ON "agent_cases" USING btree ("assigned_to",("settled_at" is not null),"next_due_at","id");