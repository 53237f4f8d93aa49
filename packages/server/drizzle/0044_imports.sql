CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"matter_id" uuid,
	"status" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" integer NOT NULL,
	"row_count" integer NOT NULL,
	"rows_written" integer NOT NULL,
	"error_report" jsonb,
	"idempotency_key" text,
	"request_sha256" text,
	"response_status" integer,
	"response_body" jsonb,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imports_kind_check" CHECK ("imports"."kind" in ('statistics', 'assessments')),
	CONSTRAINT "imports_status_check" CHECK ("imports"."status" in ('succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "imports_actor_idempotency_key" ON "imports" USING btree ("actor_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "imports_started_idx" ON "imports" USING btree ("started_at","id");--> statement-breakpoint
CREATE INDEX "imports_matter_idx" ON "imports" USING btree ("matter_id");