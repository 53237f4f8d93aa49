-- Each matter's status as of any day, kept as spans by triggers that the server installs when it
-- opens the database (src/modules/matters/status-spans.ts), from the domain's rules.
CREATE TABLE "matter_status_spans" (
	"matter_id" uuid NOT NULL,
	"from_day" text NOT NULL,
	"status" text NOT NULL,
	"basis" text NOT NULL,
	"decided_on" text,
	"begun" boolean NOT NULL,
	CONSTRAINT "matter_status_spans_matter_id_from_day_pk" PRIMARY KEY("matter_id","from_day")
);
--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD CONSTRAINT "matter_status_spans_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;