CREATE TABLE "calendar_feed_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deadline_occurrence_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deadline_id" uuid NOT NULL,
	"due_on" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"met_on" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"extended_to" text,
	"extended_by" jsonb,
	"assignee_user_id" uuid,
	"assignee_office" text,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "deadline_occurrence_states_state_check" CHECK ("deadline_occurrence_states"."state" in ('open', 'met', 'waived'))
);
--> statement-breakpoint
ALTER TABLE "calendar_feed_tokens" ADD CONSTRAINT "calendar_feed_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_occurrence_states" ADD CONSTRAINT "deadline_occurrence_states_deadline_id_provision_deadlines_id_fk" FOREIGN KEY ("deadline_id") REFERENCES "public"."provision_deadlines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_occurrence_states" ADD CONSTRAINT "deadline_occurrence_states_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feed_tokens_hash_key" ON "calendar_feed_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "calendar_feed_tokens_user_idx" ON "calendar_feed_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deadline_occurrence_states_key" ON "deadline_occurrence_states" USING btree ("deadline_id","due_on");--> statement-breakpoint
CREATE INDEX "deadline_occurrence_states_assignee_idx" ON "deadline_occurrence_states" USING btree ("assignee_user_id");--> statement-breakpoint
-- A deadline met, waived or extended changes what the compliance view counts as overdue: move the
-- matter's compliance generation (see 0018) so a view cached before it is not served again.
CREATE TRIGGER compliance_generation_deadline_states_insert AFTER INSERT ON deadline_occurrence_states REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provision_deadlines x on x.id = r.deadline_id join provisions p on p.id = x.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_deadline_states_update AFTER UPDATE ON deadline_occurrence_states REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provision_deadlines x on x.id = r.deadline_id join provisions p on p.id = x.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_deadline_states_delete AFTER DELETE ON deadline_occurrence_states REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provision_deadlines x on x.id = r.deadline_id join provisions p on p.id = x.provision_id', 'create');
