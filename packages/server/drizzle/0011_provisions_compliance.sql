CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"level" text NOT NULL,
	"rationale" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rated_by" text,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_rollups" (
	"matter_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"level" text NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"section" text DEFAULT '' NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "compliance_rollups_matter_id_period_id_level_topic_section_pk" PRIMARY KEY("matter_id","period_id","level","topic","section")
);
--> statement-breakpoint
CREATE TABLE "compliance_scales" (
	"matter_id" uuid PRIMARY KEY NOT NULL,
	"levels" jsonb NOT NULL,
	"sustainment" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decree_parses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"matter_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"provisions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"toc" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provision_deadlines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provision_id" uuid NOT NULL,
	"phrase" text NOT NULL,
	"offset" jsonb,
	"recurrence" jsonb,
	"anchor" jsonb NOT NULL,
	"anchor_date" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matter_id" uuid NOT NULL,
	"document_id" uuid,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"path" text NOT NULL,
	"text" text NOT NULL,
	"page" integer,
	"page_end" integer,
	"is_definition" boolean DEFAULT false NOT NULL,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"topics_override" jsonb,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "provisions"."text")) STORED NOT NULL,
	"retired_at" timestamp with time zone,
	"terminated_on" text,
	"terminated_by_event_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reporting_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matter_id" uuid NOT NULL,
	"label" text NOT NULL,
	"starts_on" text,
	"ends_on" text NOT NULL,
	"report_document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_period_id_reporting_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."reporting_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_rollups" ADD CONSTRAINT "compliance_rollups_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_rollups" ADD CONSTRAINT "compliance_rollups_period_id_reporting_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."reporting_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_scales" ADD CONSTRAINT "compliance_scales_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decree_parses" ADD CONSTRAINT "decree_parses_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decree_parses" ADD CONSTRAINT "decree_parses_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_deadlines" ADD CONSTRAINT "provision_deadlines_provision_id_provisions_id_fk" FOREIGN KEY ("provision_id") REFERENCES "public"."provisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_terminated_by_event_id_events_id_fk" FOREIGN KEY ("terminated_by_event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_periods" ADD CONSTRAINT "reporting_periods_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_periods" ADD CONSTRAINT "reporting_periods_report_document_id_documents_id_fk" FOREIGN KEY ("report_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_provision_period_key" ON "assessments" USING btree ("provision_id","period_id");--> statement-breakpoint
CREATE INDEX "assessments_period_idx" ON "assessments" USING btree ("period_id");--> statement-breakpoint
CREATE INDEX "decree_parses_document_idx" ON "decree_parses" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "decree_parses_matter_idx" ON "decree_parses" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "provision_deadlines_provision_idx" ON "provision_deadlines" USING btree ("provision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provisions_matter_number_key" ON "provisions" USING btree ("matter_id","number") WHERE retired_at is null;--> statement-breakpoint
CREATE INDEX "provisions_matter_idx" ON "provisions" USING btree ("matter_id");--> statement-breakpoint
CREATE INDEX "provisions_search_idx" ON "provisions" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "reporting_periods_label_key" ON "reporting_periods" USING btree ("matter_id","label");