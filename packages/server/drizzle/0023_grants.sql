CREATE TABLE "award_matters" (
	"award_id" uuid NOT NULL,
	"matter_id" uuid NOT NULL,
	CONSTRAINT "award_matters_award_id_matter_id_pk" PRIMARY KEY("award_id","matter_id")
);
--> statement-breakpoint
CREATE TABLE "awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"program" text NOT NULL,
	"program_name" text,
	"fiscal_year" integer,
	"amount" numeric(15, 2),
	"amount_meaning" text,
	"amount_note" text,
	"award_number" text,
	"jurisdiction_id" uuid NOT NULL,
	"agency_id" uuid,
	"recipient_name" text,
	"notes" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"public" boolean DEFAULT true NOT NULL,
	CONSTRAINT "awards_amount_check" CHECK ("awards"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "condition_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"condition_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"status" text NOT NULL,
	"date" text NOT NULL,
	"note" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "condition_changes_date_check" CHECK (date ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$')
);
--> statement-breakpoint
CREATE TABLE "condition_matters" (
	"condition_id" uuid NOT NULL,
	"matter_id" uuid NOT NULL,
	CONSTRAINT "condition_matters_condition_id_matter_id_pk" PRIMARY KEY("condition_id","matter_id")
);
--> statement-breakpoint
CREATE TABLE "conditions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"award_id" uuid,
	"jurisdiction_id" uuid NOT NULL,
	"program" text NOT NULL,
	"fiscal_year" integer,
	"kind" text NOT NULL,
	"text" text,
	"status" text NOT NULL,
	"status_on" text NOT NULL,
	"public" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_facts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"program" text NOT NULL,
	"date" text,
	"fiscal_year" integer,
	"metric" text NOT NULL,
	"value" double precision,
	"unit" text,
	"description" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "jurisdiction_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "favors" text;--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "inferred" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "matters" ADD COLUMN "disagreements" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "review_cycles" ADD COLUMN "as_of" text;--> statement-breakpoint
ALTER TABLE "award_matters" ADD CONSTRAINT "award_matters_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_matters" ADD CONSTRAINT "award_matters_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "condition_changes" ADD CONSTRAINT "condition_changes_condition_id_conditions_id_fk" FOREIGN KEY ("condition_id") REFERENCES "public"."conditions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "condition_matters" ADD CONSTRAINT "condition_matters_condition_id_conditions_id_fk" FOREIGN KEY ("condition_id") REFERENCES "public"."conditions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "condition_matters" ADD CONSTRAINT "condition_matters_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conditions" ADD CONSTRAINT "conditions_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conditions" ADD CONSTRAINT "conditions_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "award_matters_matter_idx" ON "award_matters" USING btree ("matter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "awards_slug_key" ON "awards" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "awards_jurisdiction_idx" ON "awards" USING btree ("jurisdiction_id");--> statement-breakpoint
CREATE INDEX "awards_program_year_idx" ON "awards" USING btree ("program","fiscal_year");--> statement-breakpoint
CREATE UNIQUE INDEX "condition_changes_position_key" ON "condition_changes" USING btree ("condition_id","position");--> statement-breakpoint
CREATE INDEX "condition_matters_matter_idx" ON "condition_matters" USING btree ("matter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conditions_slug_key" ON "conditions" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "conditions_jurisdiction_idx" ON "conditions" USING btree ("jurisdiction_id");--> statement-breakpoint
CREATE INDEX "conditions_award_idx" ON "conditions" USING btree ("award_id");--> statement-breakpoint
CREATE INDEX "conditions_status_idx" ON "conditions" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "program_facts_slug_key" ON "program_facts" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "program_facts_program_idx" ON "program_facts" USING btree ("program");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_jurisdiction_date_idx" ON "events" USING btree ("jurisdiction_id","date");--> statement-breakpoint
-- The bundled 2017 review, not yet started: it reviews the portfolio as of the memo's date, every kind the memo names.
UPDATE "review_cycles" SET "as_of" = '2017-03-31', "scope" = jsonb_set("scope", '{kinds}', '["pattern_or_practice_investigation","consent_decree","settlement_agreement","memorandum_of_agreement","technical_assistance","grant","task_force","collaborative_investigation","compliance_review"]'::jsonb), "version" = "version" + 1, "updated_at" = now() WHERE "slug" = '2017-review' AND "status" = 'draft' AND "as_of" IS NULL AND "scope"->'kinds' = '[]'::jsonb;
