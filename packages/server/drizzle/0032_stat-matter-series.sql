ALTER TABLE "stat_values" DROP CONSTRAINT "stat_values_one_place";--> statement-breakpoint
DROP INDEX "stat_values_key";--> statement-breakpoint
ALTER TABLE "stat_values" ADD COLUMN "matter_id" uuid;--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stat_values_matter_idx" ON "stat_values" USING btree ("matter_id","metric","period");--> statement-breakpoint
CREATE UNIQUE INDEX "stat_values_key" ON "stat_values" USING btree ("metric",coalesce("jurisdiction_id", "agency_id", "matter_id"),"period","source_id");--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_one_place" CHECK (num_nonnulls("stat_values"."jurisdiction_id", "stat_values"."agency_id", "stat_values"."matter_id") = 1);