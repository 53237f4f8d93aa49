ALTER TABLE "compliance_matter_summaries" ADD COLUMN "view" text;--> statement-breakpoint
ALTER TABLE "compliance_matter_summaries" ADD COLUMN "view_generation" bigint;