CREATE TABLE "sustainment_starts" (
	"provision_id" uuid PRIMARY KEY NOT NULL,
	"starts_on" text NOT NULL,
	"event_id" uuid,
	"set_by" text,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reporting_periods" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "sustainment_starts" ADD CONSTRAINT "sustainment_starts_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sustainment_starts" ADD CONSTRAINT "sustainment_starts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;