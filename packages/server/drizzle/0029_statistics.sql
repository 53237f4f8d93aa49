CREATE TABLE "stat_metrics" (
	"key" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stat_place_matches" (
	"source_id" uuid NOT NULL,
	"source_place" text NOT NULL,
	"source_name" text NOT NULL,
	"jurisdiction_id" uuid,
	"method" text NOT NULL,
	"rows" integer NOT NULL,
	CONSTRAINT "stat_place_matches_source_id_source_place_pk" PRIMARY KEY("source_id","source_place")
);
--> statement-breakpoint
CREATE TABLE "stat_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"licence" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stat_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"metric" text NOT NULL,
	"jurisdiction_id" uuid,
	"agency_id" uuid,
	"period" text NOT NULL,
	"value" double precision NOT NULL,
	"population" integer,
	"months_reported" integer,
	"source_id" uuid NOT NULL,
	"note" text,
	CONSTRAINT "stat_values_one_place" CHECK (("stat_values"."jurisdiction_id" is null) <> ("stat_values"."agency_id" is null)),
	CONSTRAINT "stat_values_period" CHECK ("stat_values"."period" ~ '^[0-9]{4}(-(0[1-9]|1[0-2]))?$')
);
--> statement-breakpoint
ALTER TABLE "stat_place_matches" ADD CONSTRAINT "stat_place_matches_source_id_stat_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."stat_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_place_matches" ADD CONSTRAINT "stat_place_matches_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_metric_stat_metrics_key_fk" FOREIGN KEY ("metric") REFERENCES "public"."stat_metrics"("key") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_values" ADD CONSTRAINT "stat_values_source_id_stat_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."stat_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stat_sources_key_key" ON "stat_sources" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "stat_values_key" ON "stat_values" USING btree ("metric",coalesce("jurisdiction_id", "agency_id"),"period","source_id");--> statement-breakpoint
CREATE INDEX "stat_values_jurisdiction_idx" ON "stat_values" USING btree ("jurisdiction_id","metric","period");--> statement-breakpoint
CREATE INDEX "stat_values_agency_idx" ON "stat_values" USING btree ("agency_id","metric","period");--> statement-breakpoint
CREATE INDEX "stat_values_source_idx" ON "stat_values" USING btree ("source_id");--> statement-breakpoint
INSERT INTO "stat_metrics" ("key", "label", "unit", "builtin") VALUES
  ('homicide', 'Homicide', 'offences', true),
  ('rape', 'Rape', 'offences', true),
  ('robbery', 'Robbery', 'offences', true),
  ('aggravated_assault', 'Aggravated assault', 'offences', true),
  ('violent_crime', 'Violent crime', 'offences', true),
  ('property_crime', 'Property crime', 'offences', true);
