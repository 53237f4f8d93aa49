-- Every rating names its rater. The ratings stored so far are the monitor's: each keeps its id,
-- level, rationale and evidence and takes the column's default. Each rater then rates a provision
-- at most once a period.
ALTER TABLE "assessments" ADD COLUMN "rater" text DEFAULT 'monitor' NOT NULL;--> statement-breakpoint
DROP INDEX "assessments_provision_period_key";--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_provision_period_rater_key" ON "assessments" USING btree ("provision_id","period_id","rater");--> statement-breakpoint
CREATE INDEX "assessments_other_raters_idx" ON "assessments" USING btree ("provision_id") WHERE rater <> 'monitor';--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_rater_check" CHECK ("assessments"."rater" in ('monitor', 'department', 'city', 'other'));
--> statement-breakpoint
-- The compliance views stored with the summaries were made before views listed other raters'
-- ratings: moving every generation makes each be made again on its next read.
UPDATE "compliance_generations" SET "generation" = "generation" + 1;
