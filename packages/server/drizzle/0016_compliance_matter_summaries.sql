CREATE TABLE "compliance_matter_summaries" (
	"matter_id" uuid PRIMARY KEY NOT NULL,
	"provisions_fingerprint" text NOT NULL,
	"rollups" text,
	"clocks" text,
	"movement" text,
	"movement_from" uuid,
	"movement_to" uuid,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "compliance_matter_summaries" ADD CONSTRAINT "compliance_matter_summaries_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;