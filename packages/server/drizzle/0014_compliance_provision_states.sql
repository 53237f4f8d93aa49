CREATE TABLE "compliance_provision_states" (
	"provision_id" uuid PRIMARY KEY NOT NULL,
	"matter_id" uuid NOT NULL,
	"latest_level" text,
	"latest_ends_on" text,
	"last_below_on" text,
	"run_started_on" text
);
--> statement-breakpoint
ALTER TABLE "compliance_provision_states" ADD CONSTRAINT "compliance_provision_states_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_provision_states" ADD CONSTRAINT "compliance_provision_states_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "compliance_provision_states_matter_idx" ON "compliance_provision_states" USING btree ("matter_id");