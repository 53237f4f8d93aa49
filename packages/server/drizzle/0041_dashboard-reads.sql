ALTER TABLE "matter_status_spans" ADD COLUMN "to_day" text;--> statement-breakpoint
-- Where each kept span ends: the next span's first day (the start recomputes every span anyway
-- when the functions that keep them change; this fills the column before that).
UPDATE "matter_status_spans" s SET "to_day" = n."next"
  FROM (SELECT "matter_id", "from_day", lead("from_day") OVER (PARTITION BY "matter_id" ORDER BY "from_day") AS "next"
        FROM "matter_status_spans") n
  WHERE n."matter_id" = s."matter_id" AND n."from_day" = s."from_day" AND n."next" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_upcoming_hearings_idx" ON "events" USING btree (coalesce("new_date", "date"),"time","slug") WHERE kind = 'hearing' and coalesce(status, 'scheduled') in ('scheduled', 'postponed');
