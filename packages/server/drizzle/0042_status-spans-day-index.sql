ALTER TABLE "matter_status_spans" ADD COLUMN "day_range" "int4range" GENERATED ALWAYS AS (int4range(nullif(replace("matter_status_spans"."from_day", '-', ''), '')::integer, replace("matter_status_spans"."to_day", '-', '')::integer)) STORED;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "jurisdiction_id" uuid;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "opened_on" text;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "agreement_on" text;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "entered_on" text;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ADD COLUMN "ended_on" text;--> statement-breakpoint
-- The matter's columns each span carries, from the matter (the start recomputes every span anyway
-- when the functions that keep them change; this fills the columns before that).
UPDATE "matter_status_spans" s SET "kind" = m."kind", "jurisdiction_id" = m."jurisdiction_id",
    "opened_on" = m."opened_on", "agreement_on" = m."agreement_on", "entered_on" = m."entered_on", "ended_on" = m."ended_on"
  FROM "matters" m WHERE m."id" = s."matter_id";--> statement-breakpoint
ALTER TABLE "matter_status_spans" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "matter_status_spans" ALTER COLUMN "jurisdiction_id" SET NOT NULL;--> statement-breakpoint
-- INCLUDE (which drizzle cannot declare): a day's dashboard reads every column it needs from the
-- index, not the table (an index-only scan).
CREATE INDEX "matter_status_spans_day_idx" ON "matter_status_spans" USING spgist ("day_range")
  INCLUDE ("matter_id", "status", "kind", "jurisdiction_id", "opened_on", "agreement_on", "entered_on", "ended_on") WHERE begun;
--> statement-breakpoint
-- Today's dashboard reads every matter's kind, status, place and key dates: from this index alone
-- (an index-only scan) rather than the wide table. Same key as before; INCLUDE is not in drizzle.
DROP INDEX "matters_kind_status_idx";--> statement-breakpoint
CREATE INDEX "matters_kind_status_idx" ON "matters" USING btree ("kind","status")
  INCLUDE ("id", "jurisdiction_id", "opened_on", "agreement_on", "entered_on", "ended_on");
