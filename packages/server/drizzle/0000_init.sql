CREATE TABLE "agencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"jurisdiction_id" uuid NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"matter_id" uuid,
	"kind" text NOT NULL,
	"date" text NOT NULL,
	"time" text,
	"status" text,
	"new_date" text,
	"title" text NOT NULL,
	"description" text,
	"actor" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "events_date_check" CHECK (date ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$')
);
--> statement-breakpoint
CREATE TABLE "jurisdictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"state_code" text NOT NULL,
	"fips" text,
	"population" integer,
	"population_year" integer,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matter_agencies" (
	"matter_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "matter_agencies_matter_id_agency_id_pk" PRIMARY KEY("matter_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "matter_relations" (
	"from_matter_id" uuid NOT NULL,
	"to_matter_id" uuid NOT NULL,
	"relation" text NOT NULL,
	CONSTRAINT "matter_relations_from_matter_id_to_matter_id_pk" PRIMARY KEY("from_matter_id","to_matter_id"),
	CONSTRAINT "matter_relations_not_self" CHECK ("matter_relations"."from_matter_id" <> "matter_relations"."to_matter_id")
);
--> statement-breakpoint
CREATE TABLE "matters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"jurisdiction_id" uuid NOT NULL,
	"authority" text,
	"court" text,
	"case_number" text,
	"judge" text,
	"monitor" text,
	"opened_on" text,
	"findings_on" text,
	"agreement_on" text,
	"entered_on" text,
	"ended_on" text,
	"status_note" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "matters"."search_text")) STORED NOT NULL,
	"start_year" integer GENERATED ALWAYS AS ((substr(coalesce("matters"."opened_on", "matters"."agreement_on", "matters"."entered_on"), 1, 4))::integer) STORED,
	CONSTRAINT "matters_opened_on_check" CHECK (opened_on ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'),
	CONSTRAINT "matters_ended_on_check" CHECK (ended_on ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$')
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_agencies" ADD CONSTRAINT "matter_agencies_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_agencies" ADD CONSTRAINT "matter_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_relations" ADD CONSTRAINT "matter_relations_from_matter_id_matters_id_fk" FOREIGN KEY ("from_matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matter_relations" ADD CONSTRAINT "matter_relations_to_matter_id_matters_id_fk" FOREIGN KEY ("to_matter_id") REFERENCES "public"."matters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matters" ADD CONSTRAINT "matters_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_slug_key" ON "agencies" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "agencies_jurisdiction_idx" ON "agencies" USING btree ("jurisdiction_id");--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_entries" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "events_slug_key" ON "events" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "events_matter_date_idx" ON "events" USING btree ("matter_id","date");--> statement-breakpoint
CREATE INDEX "events_date_idx" ON "events" USING btree ("date");--> statement-breakpoint
CREATE INDEX "events_kind_date_idx" ON "events" USING btree ("kind","date");--> statement-breakpoint
CREATE UNIQUE INDEX "jurisdictions_slug_key" ON "jurisdictions" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "jurisdictions_state_idx" ON "jurisdictions" USING btree ("state_code");--> statement-breakpoint
CREATE INDEX "matter_agencies_agency_idx" ON "matter_agencies" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "matter_relations_to_idx" ON "matter_relations" USING btree ("to_matter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "matters_slug_key" ON "matters" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "matters_search_idx" ON "matters" USING gin ("search");--> statement-breakpoint
CREATE INDEX "matters_kind_status_idx" ON "matters" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "matters_jurisdiction_idx" ON "matters" USING btree ("jurisdiction_id");--> statement-breakpoint
CREATE INDEX "matters_start_year_idx" ON "matters" USING btree ("start_year");--> statement-breakpoint
CREATE INDEX "matters_opened_idx" ON "matters" USING btree ("opened_on");--> statement-breakpoint
CREATE INDEX "matters_title_idx" ON "matters" USING btree ("title");